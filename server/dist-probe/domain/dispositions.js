import { DomainError } from "./errors.js";
export const DISPOSITIONS = [
    { id: 'resolved', label: 'Resolved' },
    { id: 'follow-up', label: 'Follow-up needed' },
    { id: 'no-response', label: 'No response' },
    { id: 'spam', label: 'Spam' },
];
/** Set by the relay when a waiting conversation closes itself; never chosen by an agent. */
export { AUTO_CLOSED_DISPOSITION as AUTO_CLOSED } from '@wcp/protocol/values';
/** The disposition an agent's close carries: required while the list is not empty, and one of the list. */
export function checkDisposition(disposition, list = DISPOSITIONS) {
    if (list.length === 0)
        return disposition;
    if (disposition === null)
        throw new DomainError('disposition_required', 'Choose a disposition to close the conversation.');
    if (!list.some((d) => d.id === disposition))
        throw new DomainError('unknown_disposition', `"${disposition}" is not a disposition in the list.`);
    return disposition;
}
//# sourceMappingURL=dispositions.js.map