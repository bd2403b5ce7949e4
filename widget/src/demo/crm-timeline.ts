/**
 * The demo form's timeline of WhatsApp conversation activities, read from the CRM's Web API
 * as Dynamics reads it: `wcp_whatsappconversations` regarding the contact or from its number,
 * newest first. The demo relay's fake Dataverse holds what the relay's CRM writer wrote (the
 * browser never writes them). Everything is set as text: a transcript is customer text.
 */

export interface TimelineActivity {
  id: string;
  subject: string;
  /** statecode: 0 open, 1 completed, 2 canceled. */
  state: number;
  disposition: string | null;
  start: string | null;
  end: string | null;
  transcript: string | null;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COLUMNS = ['subject', 'statecode', 'wcp_disposition', 'actualstart', 'actualend', 'wcp_transcript'];

/** An OData string literal: quotes doubled. */
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** The query string of a contact's conversations: regarding it, or (never linked) from its number. */
export function timelineQuery(contactId: string, phoneE164: string | null): string | null {
  const conditions = [
    ...(GUID.test(contactId) ? [`_regardingobjectid_value eq ${contactId}`] : []),
    ...(phoneE164 ? [`wcp_customerphone eq ${literal(phoneE164)}`] : []),
  ];
  if (conditions.length === 0) return null;
  const options: [string, string][] = [
    ['$select', COLUMNS.join(',')],
    ['$filter', conditions.join(' or ')],
    ['$orderby', 'actualstart desc'],
    ['$top', '20'],
  ];
  return `?${options.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&')}`;
}

/** The Web API's `{ value: [rows] }` as activities; rows without an id are skipped. */
export function toActivities(body: unknown): TimelineActivity[] {
  const rows = (body as { value?: unknown } | null)?.value;
  if (!Array.isArray(rows)) throw new Error('The CRM answered without a list of activities.');
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  return rows
    .filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null && typeof (row as { activityid?: unknown }).activityid === 'string')
    .map((row) => ({
      id: row.activityid as string,
      subject: text(row.subject) ?? '(no subject)',
      state: typeof row.statecode === 'number' ? row.statecode : 0,
      disposition: text(row.wcp_disposition),
      start: text(row.actualstart),
      end: text(row.actualend),
      transcript: text(row.wcp_transcript),
    }));
}

/** GET the contact's activities from the Web API at `dataverseUrl` as the signed-in agent. */
export async function fetchTimeline(dataverseUrl: string, token: string, query: string, fetchImpl: typeof fetch = fetch): Promise<TimelineActivity[]> {
  const response = await fetchImpl(`${dataverseUrl}/api/data/v9.2/wcp_whatsappconversations${query}`, {
    headers: {
      Accept: 'application/json',
      Authorization: `Bearer ${token}`,
      'OData-Version': '4.0',
      'OData-MaxVersion': '4.0',
      Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"',
    },
  });
  if (!response.ok) {
    const reason = ((await response.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message;
    throw new Error(`The CRM answered ${response.status}${reason ? `: ${reason}` : ''}.`);
  }
  return toActivities(await response.json());
}

const STATES: Record<number, string> = { 0: 'Active', 1: 'Completed', 2: 'Canceled' };

export function stateLabel(state: number): string {
  return STATES[state] ?? 'Active';
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : null);

/** Redraws the list: one item an activity, its transcript in a disclosure (keyboard: the summary is a button). */
export function renderTimeline(doc: Document, list: HTMLElement, activities: readonly TimelineActivity[], empty: string): void {
  if (activities.length === 0) {
    list.replaceChildren(Object.assign(doc.createElement('li'), { className: 'empty', textContent: empty }));
    return;
  }
  list.replaceChildren(
    ...activities.map((activity) => {
      const item = doc.createElement('li');
      item.className = 'activity';
      item.dataset.activityId = activity.id;
      const subject = doc.createElement('span');
      subject.className = 'activity-subject';
      subject.textContent = activity.subject;
      const start = when(activity.start);
      const end = when(activity.end);
      const meta = doc.createElement('span');
      meta.className = 'meta';
      meta.textContent = [
        stateLabel(activity.state),
        activity.disposition ? `Disposition: ${activity.disposition}` : null,
        start ? `Started ${start}` : null,
        end ? `Ended ${end}` : null,
      ]
        .filter(Boolean)
        .join(' · ');
      item.append(subject, meta);
      if (activity.transcript) {
        const details = doc.createElement('details');
        const summary = doc.createElement('summary');
        summary.textContent = 'Transcript';
        const transcript = doc.createElement('pre');
        transcript.className = 'transcript';
        transcript.textContent = activity.transcript;
        details.append(summary, transcript);
        item.append(details);
      }
      return item;
    }),
  );
}
