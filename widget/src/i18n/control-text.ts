import { msg, str } from '@lit/localize';

/**
 * What the Power Apps control itself says (pcf/WhatsAppPanel: its notice above the panel, and the
 * errors of its Dataverse CRM adapter that the panel shows), in the agent's language like the
 * panel below it: the control builds these texts from here, so each has one home.
 */
export const controlText = {
  phoneNotInternational: (rawPhone: string) =>
    msg(str`The phone number "${rawPhone}" is not in international format (+ and country code), so WhatsApp cannot be matched to it.`),
  caseNeedsCustomer: () => msg('A case needs a customer: link the conversation to a contact or an account first.'),
  dataverseFailed: () => msg('Dataverse did not complete the request.'),
  unsupportedEntity: (entityType: string) => msg(str`Linking to "${entityType}" records is not supported.`),
};
