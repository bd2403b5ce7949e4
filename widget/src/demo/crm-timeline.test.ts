import { expect } from '@open-wc/testing';
import { fetchTimeline, renderTimeline, timelineQuery, toActivities } from './crm-timeline.js';

const MARIA = '774a2792-3157-535d-8b50-b808a449a3d0';

/** A row as the Web API returns it with formatted values (the demo relay's fake answers the same). */
const completed = {
  '@odata.etag': 'W/"4410007"',
  activityid: '0d6c4b1e-3c1a-5b6e-9c1d-2f3e4a5b6c7d',
  subject: 'WhatsApp conversation with <img src=x onerror=alert(1)>',
  statecode: 1,
  'statecode@OData.Community.Display.V1.FormattedValue': 'Completed',
  wcp_disposition: 'resolved',
  actualstart: '2026-06-01T08:00:00Z',
  actualend: '2026-06-01T08:07:00Z',
  wcp_transcript: '2026-06-01T08:00:00.000Z Customer: <b>my parcel</b> & box\n2026-06-01T08:01:00.000Z Alex Morgan: A replacement is on its way.',
};
const active = { '@odata.etag': 'W/"4410009"', activityid: '1e7d5c2f-4d2b-5c7f-8d2e-3a4b5c6d7e8f', subject: 'WhatsApp conversation with Oliver', statecode: 0, wcp_disposition: null, actualstart: '2026-06-02T09:00:00Z', actualend: null, wcp_transcript: null };

describe('the demo CRM timeline', () => {
  it("asks for the contact's conversations, regarding it or from its number, newest first", () => {
    const query = timelineQuery(MARIA, "+1415'5550100")!;
    const params = new URLSearchParams(query.slice(1));
    expect(params.get('$filter')).to.equal(`_regardingobjectid_value eq ${MARIA} or wcp_customerphone eq '+1415''5550100'`);
    expect(params.get('$orderby')).to.equal('actualstart desc');
    expect(query).to.contain('%2B1415'); // "+" is not a space in the URL
    expect(timelineQuery('not-a-guid', null)).to.equal(null);
  });

  it('shows subject, status, disposition, dates and the transcript as text, never as markup', async () => {
    const list = document.createElement('ul');
    list.setAttribute('aria-label', 'WhatsApp conversations');
    document.body.append(list);
    renderTimeline(document, list, toActivities({ value: [completed, active] }), 'None');
    const [first, second] = [...list.querySelectorAll('li')];
    expect(first!.querySelector('.activity-subject')!.textContent).to.equal('WhatsApp conversation with <img src=x onerror=alert(1)>');
    expect(list.querySelector('img')).to.equal(null);
    expect(first!.querySelector('.meta')!.textContent).to.match(/^Completed · Disposition: resolved · Started .+ · Ended .+$/);
    const transcript = first!.querySelector('details pre')!;
    expect(transcript.textContent).to.contain('Customer: <b>my parcel</b> & box\n');
    expect(transcript.querySelector('b')).to.equal(null);
    expect(first!.querySelector('details')!.open).to.equal(false);
    expect(first!.querySelector('summary')!.textContent).to.equal('Transcript');
    expect(second!.querySelector('.meta')!.textContent).to.match(/^Active · Started /);
    expect(second!.querySelector('details')).to.equal(null);
    await expect(list).to.be.accessible();
    list.remove();
  });

  it('says so when the contact has none', () => {
    const list = document.createElement('ul');
    renderTimeline(document, list, [], 'No WhatsApp conversation yet.');
    expect(list.textContent).to.equal('No WhatsApp conversation yet.');
  });

  it("reads the Web API with the agent's token and reports its error", async () => {
    const asked: { url: string; headers: Record<string, string> }[] = [];
    const answer = (status: number, body: unknown) => async (url: RequestInfo | URL, init?: RequestInit) => {
      asked.push({ url: String(url), headers: init!.headers as Record<string, string> });
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    };
    const found = await fetchTimeline('/demo/dataverse', 'tok', '?$top=1', answer(200, { '@odata.context': 'x', value: [active] }) as typeof fetch);
    expect(found.map((a) => a.subject)).to.deep.equal(['WhatsApp conversation with Oliver']);
    expect(asked[0]!.url).to.equal('/demo/dataverse/api/data/v9.2/wcp_whatsappconversations?$top=1');
    expect(asked[0]!.headers.Authorization).to.equal('Bearer tok');
    expect(asked[0]!.headers['OData-Version']).to.equal('4.0');
    let error: Error | null = null;
    await fetchTimeline('/demo/dataverse', 'tok', '?$top=1', answer(400, { error: { code: '0x80060888', message: 'Syntax error in $filter' } }) as typeof fetch).catch((e: Error) => (error = e));
    expect(error!.message).to.equal('The CRM answered 400: Syntax error in $filter.');
  });
});
