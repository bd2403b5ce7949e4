import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CrmError } from '../../widget/src/ports/crm-port.ts';
import { keywords } from '../../widget/src/side/smart-assist/tokens.ts';
import { DataverseCrm, literal, type DataverseCrmOptions } from '../WhatsAppPanel/dataverse-crm.ts';
import { queryOptions, retrieve, type Lookup } from './odata-filter.ts';

type Entity = ComponentFramework.WebApi.Entity;
type Call = [method: string, ...args: unknown[]];

/**
 * context.webAPI / context.navigation as Dataverse answers them: retrieveMultipleRecords
 * resolves `{ entities, nextLink? }` (rows with @odata.etag and lookup annotations),
 * createRecord/deleteRecord resolve `{ entityType, id }`, failures reject `{ errorCode, message }`.
 */
function fakeDataverse(
  answers: { rows?: Record<string, Entity[]>; createdId?: string; failWith?: { errorCode: number; message: string } } = {},
  options: DataverseCrmOptions = {},
) {
  const calls: Call[] = [];
  const answer = <T>(value: T): Promise<T> => (answers.failWith ? Promise.reject(answers.failWith) : Promise.resolve(value));
  const webApi = {
    retrieveMultipleRecords(entityType: string, options?: string) {
      calls.push(['retrieveMultipleRecords', entityType, options]);
      return answer({ entities: answers.rows?.[entityType] ?? [] } as ComponentFramework.WebApi.RetrieveMultipleResponse);
    },
    createRecord(entityType: string, data: Entity) {
      calls.push(['createRecord', entityType, data]);
      return answer({ entityType, id: answers.createdId ?? '00000000-0000-0000-0000-000000000001' } as ComponentFramework.LookupValue);
    },
    deleteRecord(entityType: string, id: string) {
      calls.push(['deleteRecord', entityType, id]);
      return answer({ entityType, id } as ComponentFramework.LookupValue);
    },
  };
  const navigation = {
    openForm(options: ComponentFramework.NavigationApi.EntityFormOptions) {
      calls.push(['openForm', options]);
      return answer({ savedEntityReference: [] } as ComponentFramework.NavigationApi.OpenFormSuccessResponse);
    },
  };
  return { calls, crm: new DataverseCrm(webApi, navigation, { knowledgeUrlTemplate: 'https://support.contoso.com/knowledgebase/article/{number}', ...options }) };
}

const maria: Entity = {
  '@odata.etag': 'W/"4411987"',
  contactid: 'b3d2e5f0-1a2b-4c3d-8e9f-001122334455',
  fullname: 'Maria Garcia',
  firstname: 'Maria',
  lastname: 'Garcia',
  mobilephone: '+1 555 010 1234',
  telephone1: null,
  emailaddress1: 'maria@example.com',
  address1_city: 'Seattle',
  _parentcustomerid_value: '9f1b2c3d-0000-0000-0000-00000000a001',
  '_parentcustomerid_value@OData.Community.Display.V1.FormattedValue': 'Contoso Ltd',
  '_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty': 'parentcustomerid_account',
  '_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'account',
};

describe('DataverseCrm', () => {
  test('findContactsByPhone filters mobilephone and telephone1 on the E.164 spellings', async () => {
    const { crm, calls } = fakeDataverse({ rows: { contact: [maria] } });
    const contacts = await crm.findContactsByPhone('+15550101234');
    assert.deepEqual(calls, [
      [
        'retrieveMultipleRecords',
        'contact',
        "?$select=contactid,fullname,firstname,lastname,mobilephone,telephone1,emailaddress1,address1_city,_parentcustomerid_value" +
          "&$filter=statecode eq 0 and (mobilephone eq '%2B15550101234' or mobilephone eq '0015550101234'" +
          " or telephone1 eq '%2B15550101234' or telephone1 eq '0015550101234')",
      ],
    ]);
    assert.deepEqual(contacts, [
      {
        id: 'b3d2e5f0-1a2b-4c3d-8e9f-001122334455',
        fullName: 'Maria Garcia',
        firstName: 'Maria',
        lastName: 'Garcia',
        phone: '+1 555 010 1234',
        email: 'maria@example.com',
        accountName: 'Contoso Ltd',
        city: 'Seattle',
        fields: {
          contactid: 'b3d2e5f0-1a2b-4c3d-8e9f-001122334455',
          fullname: 'Maria Garcia',
          firstname: 'Maria',
          lastname: 'Garcia',
          mobilephone: '+1 555 010 1234',
          emailaddress1: 'maria@example.com',
          address1_city: 'Seattle',
          accountname: 'Contoso Ltd',
        },
      },
    ]);
  });

  test('findContactsByPhone returns every match (two = not authenticated) and drops rows of another number', async () => {
    const twin = { ...maria, contactid: 'c0000000-0000-0000-0000-000000000002', fullname: 'Maria G.', mobilephone: null, telephone1: '0015550101234' };
    const other = { ...maria, contactid: 'c0000000-0000-0000-0000-000000000003', mobilephone: '+15550101239' };
    const { crm } = fakeDataverse({ rows: { contact: [maria, twin, other] } });
    assert.deepEqual((await crm.findContactsByPhone('+15550101234')).map((c) => c.fullName), ['Maria Garcia', 'Maria G.']);
  });

  describe('findContactsByPhone against contacts stored as people type them', () => {
    const contact = (id: string, fullname: string, mobilephone: string | null, telephone1: string | null = null): Entity => ({
      ...maria,
      contactid: id,
      fullname,
      mobilephone,
      telephone1,
      statecode: 0,
    });
    const table = [
      contact('c1', 'Ann Formatted', '+1 415-555-0100'),
      contact('c2', 'Ben National', '(415) 555-0100'),
      contact('c3', 'Cy Elsewhere', '+44 20 7946 0100'),
      contact('c4', 'Dee Desk', null, '0045 8555 0100'),
      contact('c5', 'Eve Bare', '4585550100'),
      contact('c6', 'Fay Exact', '+4915112345678'),
      contact('c7', 'Gil Paris', '+33 6 12 34 56 78'),
      contact('c8', 'Hal Dotted', '+1.202.555.01.99'),
    ];
    function dataverse() {
      const queries: string[] = [];
      const webApi = {
        retrieveMultipleRecords: async (_: string, options?: string) => {
          queries.push(options ?? '');
          return { entities: retrieve(table, options) } as ComponentFramework.WebApi.RetrieveMultipleResponse;
        },
      } as unknown as ConstructorParameters<typeof DataverseCrm>[0];
      return { queries, crm: new DataverseCrm(webApi, {} as ConstructorParameters<typeof DataverseCrm>[1]) };
    }

    test('finds a spaced or dashed international number by its last digits when no unformatted one is stored', async () => {
      const { crm, queries } = dataverse();
      assert.deepEqual((await crm.findContactsByPhone('+14155550100')).map((c) => c.fullName), ['Ann Formatted'], 'not the national form, not another country’s number');
      assert.equal(queries.length, 2);
      assert.match(queryOptions(queries[1]).get('$filter')!, /^statecode eq 0 and \(endswith\(mobilephone,'0100'\) or endswith\(mobilephone,'01 00'\) or .* or endswith\(telephone1,'01\.00'\)\)$/);
      assert.equal(queryOptions(queries[1]).get('$top'), '50');
    });

    test('finds a number written in pairs, with spaces or dots', async () => {
      const { crm } = dataverse();
      assert.deepEqual((await crm.findContactsByPhone('+33612345678')).map((c) => c.fullName), ['Gil Paris']);
      assert.deepEqual((await crm.findContactsByPhone('+12025550199')).map((c) => c.fullName), ['Hal Dotted']);
    });

    test("never takes digits without + or 00 for another country's number (a wrong customer shown is worse than none)", async () => {
      const { crm } = dataverse();
      assert.deepEqual((await crm.findContactsByPhone('+4585550100')).map((c) => c.fullName), ['Dee Desk']);
    });

    test('asks once when the number is stored unformatted', async () => {
      const { crm, queries } = dataverse();
      assert.deepEqual((await crm.findContactsByPhone('+4915112345678')).map((c) => c.fullName), ['Fay Exact']);
      assert.equal(queries.length, 1);
    });
  });

  test('searchRecords queries contacts, accounts and cases with contains()', async () => {
    const { crm, calls } = fakeDataverse({
      rows: {
        contact: [{ '@odata.etag': 'W/"1"', contactid: 'c1', fullname: "Sean O'Neil", emailaddress1: 'sean@example.com', mobilephone: null }],
        account: [{ '@odata.etag': 'W/"2"', accountid: 'a1', name: "O'Neil Bakery", accountnumber: null, telephone1: '+35312345678' }],
        incident: [{ '@odata.etag': 'W/"3"', incidentid: 'i1', title: "Refund for O'Neil", ticketnumber: 'CAS-01001-X1Y2Z3' }],
      },
    });
    const results = await crm.searchRecords(" O'Neil & co ");
    assert.deepEqual(
      calls.map((call) => call.slice(1)),
      [
        ['contact', "?$select=contactid,fullname,emailaddress1,mobilephone&$filter=statecode eq 0 and (contains(fullname,'O''Neil%20%26%20co') or contains(emailaddress1,'O''Neil%20%26%20co') or contains(mobilephone,'O''Neil%20%26%20co'))&$top=10"],
        ['account', "?$select=accountid,name,accountnumber,telephone1&$filter=statecode eq 0 and (contains(name,'O''Neil%20%26%20co') or contains(accountnumber,'O''Neil%20%26%20co'))&$top=10"],
        ['incident', "?$select=incidentid,title,ticketnumber&$filter=statecode eq 0 and (contains(title,'O''Neil%20%26%20co') or contains(ticketnumber,'O''Neil%20%26%20co'))&$top=10"],
      ],
    );
    assert.deepEqual(results, [
      { entityType: 'contact', id: 'c1', name: "Sean O'Neil", subtitle: 'sean@example.com' },
      { entityType: 'account', id: 'a1', name: "O'Neil Bakery", subtitle: '+35312345678' },
      { entityType: 'incident', id: 'i1', name: "Refund for O'Neil", subtitle: 'CAS-01001-X1Y2Z3' },
    ]);
  });

  test('searchRecords and searchKnowledge find %, _ and [ as typed, not as LIKE wildcards', async () => {
    const { crm, calls } = fakeDataverse();
    await crm.searchRecords('100%_ [UK]', ['account']);
    await crm.searchKnowledge('_');
    const [account, knowledge] = calls.map((call) => decodeURIComponent(String(call[2])));
    assert.match(account!, /contains\(name,'100\[%\]\[_\] \[\[\]UK\]'\)/);
    assert.match(knowledge!, /contains\(title,'\[_\]'\)/);
  });

  test('searchRecords honours the entity types asked for and skips an empty query', async () => {
    const { crm, calls } = fakeDataverse();
    await crm.searchRecords('CAS-01001', ['incident']);
    assert.deepEqual(calls.map((call) => call[1]), ['incident']);
    assert.deepEqual(await crm.searchRecords('   '), []);
    assert.equal(calls.length, 1);
  });

  test('createRecord creates a contact', async () => {
    const { crm, calls } = fakeDataverse({ createdId: 'd1d1d1d1-0000-0000-0000-000000000000' });
    const ref = await crm.createRecord({ entityType: 'contact', fields: { firstname: 'Ana', lastname: 'Silva', mobilephone: '+351912345678' } });
    assert.deepEqual(calls, [['createRecord', 'contact', { firstname: 'Ana', lastname: 'Silva', mobilephone: '+351912345678' }]]);
    assert.deepEqual(ref, { entityType: 'contact', id: 'd1d1d1d1-0000-0000-0000-000000000000', name: 'Ana Silva' });
  });

  test('createRecord creates a case bound to its customer', async () => {
    const { crm, calls } = fakeDataverse({ createdId: 'e2e2e2e2-0000-0000-0000-000000000000' });
    const ref = await crm.createRecord({
      entityType: 'incident',
      fields: { title: 'Parcel not delivered', description: 'From WhatsApp' },
      customer: { entityType: 'contact', id: 'b3d2e5f0-1a2b-4c3d-8e9f-001122334455', name: 'Maria Garcia' },
    });
    assert.deepEqual(calls, [
      [
        'createRecord',
        'incident',
        { title: 'Parcel not delivered', description: 'From WhatsApp', 'customerid_contact@odata.bind': '/contacts(b3d2e5f0-1a2b-4c3d-8e9f-001122334455)' },
      ],
    ]);
    assert.deepEqual(ref, { entityType: 'incident', id: 'e2e2e2e2-0000-0000-0000-000000000000', name: 'Parcel not delivered' });
  });

  test('a case without customer is refused before Dataverse is called', async () => {
    const { crm, calls } = fakeDataverse();
    await assert.rejects(crm.createRecord({ entityType: 'incident', fields: { title: 'x' } }), (error: unknown) => error instanceof CrmError && error.code === 'customer_required');
    assert.equal(calls.length, 0);
  });

  test('linkConversation writes a note on the record; unlink deletes it', async () => {
    const { crm, calls } = fakeDataverse({ createdId: 'f3f3f3f3-0000-0000-0000-000000000000' });
    const record = { entityType: 'incident', id: 'e2e2e2e2-0000-0000-0000-000000000000', name: 'Parcel not delivered' };
    const { linkId } = await crm.linkConversation(record, { conversationId: 'conv_42', summary: 'Customer: where is my parcel?' });
    await crm.unlinkConversation(record, linkId);
    assert.deepEqual(calls, [
      [
        'createRecord',
        'annotation',
        {
          subject: 'WhatsApp conversation conv_42',
          notetext: 'Customer: where is my parcel?',
          'objectid_incident@odata.bind': '/incidents(e2e2e2e2-0000-0000-0000-000000000000)',
        },
      ],
      ['deleteRecord', 'annotation', 'f3f3f3f3-0000-0000-0000-000000000000'],
    ]);
    assert.equal(linkId, 'f3f3f3f3-0000-0000-0000-000000000000');
  });

  test("a reloaded panel finds the notes it left for this conversation on this record, and only those", async () => {
    const incident = 'e2e2e2e2-0000-0000-0000-000000000000';
    const other = 'e3e3e3e3-0000-0000-0000-000000000000';
    // Notes as Dataverse returns them: the polymorphic objectid lookup as _objectid_value.
    const note = (annotationid: string, objectid: string, subject: string): Entity => ({
      '@odata.etag': 'W/"5512001"',
      annotationid,
      subject,
      _objectid_value: objectid,
      '_objectid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'incident',
    });
    const notes = [
      note('a1a1a1a1-0000-0000-0000-000000000001', incident, 'WhatsApp conversation conv_42'),
      note('a1a1a1a1-0000-0000-0000-000000000002', incident, 'WhatsApp conversation conv_420'),
      note('a1a1a1a1-0000-0000-0000-000000000003', other, 'WhatsApp conversation conv_42'),
      note('a1a1a1a1-0000-0000-0000-000000000004', incident, "Customer's O'Brien note"),
    ];
    const options: (string | undefined)[] = [];
    const webApi = {
      retrieveMultipleRecords: async (entityType: string, query?: string) => {
        options.push(query);
        assert.equal(entityType, 'annotation');
        return { entities: retrieve(notes, query) } as ComponentFramework.WebApi.RetrieveMultipleResponse;
      },
      createRecord: () => Promise.reject(new Error('not used')),
      deleteRecord: () => Promise.reject(new Error('not used')),
    };
    const crm = new DataverseCrm(webApi, { openForm: () => Promise.reject(new Error('not used')) });
    // Dataverse's {GUID} spelling of the record is the same record.
    const record = { entityType: 'incident' as const, id: `{${incident.toUpperCase()}}`, name: 'Parcel not delivered' };
    assert.deepEqual(await crm.findConversationLinks(record, 'conv_42'), ['a1a1a1a1-0000-0000-0000-000000000001']);
    assert.equal(queryOptions(options[0]).get('$select'), 'annotationid');
    assert.deepEqual(await crm.findConversationLinks(record, 'conv_7'), []);
    // Not a Dataverse id (a record of another CRM's): nothing asked, nothing found.
    assert.deepEqual(await crm.findConversationLinks({ ...record, id: "x' or subject ne '" }, 'conv_42'), []);
    assert.equal(options.length, 2);
  });

  test('openRecord opens the form', async () => {
    const { crm, calls } = fakeDataverse();
    await crm.openRecord({ entityType: 'account', id: 'a1', name: 'Contoso' });
    assert.deepEqual(calls, [['openForm', { entityName: 'account', entityId: 'a1' }]]);
  });

  test('searchKnowledge looks in published, external articles', async () => {
    const { crm, calls } = fakeDataverse({
      rows: {
        knowledgearticle: [
          {
            '@odata.etag': 'W/"9"',
            knowledgearticleid: 'k1',
            title: 'Track your parcel',
            description: 'Where to find the tracking number',
            articlepublicnumber: 'KA-01042',
          },
        ],
      },
    });
    const articles = await crm.searchKnowledge('parcel');
    assert.deepEqual(calls, [
      [
        'retrieveMultipleRecords',
        'knowledgearticle',
        "?$select=knowledgearticleid,title,description,keywords,articlepublicnumber&$filter=statecode eq 3 and isinternal eq false and (contains(title,'parcel') or contains(keywords,'parcel') or contains(description,'parcel'))&$top=50",
      ],
    ]);
    assert.deepEqual(articles, [
      { id: 'k1', title: 'Track your parcel', summary: 'Where to find the tracking number', url: 'https://support.contoso.com/knowledgebase/article/KA-01042' },
    ]);
  });

  test("searchKnowledge asks Dataverse for each article's language when the user's is known, and as before when not", async () => {
    // As Dataverse answers `$expand=languagelocaleid($select=localeid)`: the language row under the navigation property.
    const article = (id: string, title: string, localeid: number): Entity => ({
      '@odata.etag': 'W/"9"',
      knowledgearticleid: id,
      title,
      description: 'PayPal',
      keywords: null,
      articlepublicnumber: `KA-0${id.slice(1)}`,
      languagelocaleid: { localeid, languagelocaleid: `0f5e1c7a-0000-4000-8000-00000000${localeid}` },
    });
    const rows = { knowledgearticle: [article('k1', 'Paying with PayPal', 1033), article('k2', 'Bezahlen mit PayPal', 1031)] };
    const german = fakeDataverse({ rows }, { languageId: 1031 });
    assert.deepEqual((await german.crm.searchKnowledge('PayPal')).map((a) => a.title), ['Bezahlen mit PayPal']);
    const unknown = fakeDataverse({ rows });
    assert.deepEqual((await unknown.crm.searchKnowledge('PayPal')).map((a) => a.title), ['Paying with PayPal', 'Bezahlen mit PayPal']);
    const filter = "$filter=statecode eq 3 and isinternal eq false and (contains(title,'PayPal') or contains(keywords,'PayPal') or contains(description,'PayPal'))&$top=50";
    assert.deepEqual(german.calls, [
      ['retrieveMultipleRecords', 'knowledgearticle', `?$select=knowledgearticleid,title,description,keywords,articlepublicnumber&$expand=languagelocaleid($select=localeid)&${filter}`],
    ]);
    assert.deepEqual(unknown.calls, [['retrieveMultipleRecords', 'knowledgearticle', `?$select=knowledgearticleid,title,description,keywords,articlepublicnumber&${filter}`]]);
  });

  /** Rows as retrieveMultipleRecords gives them: etag, formatted values for choices and dates. */
  const quickReply = (id: string, title: string, text: string, language: string | null): Entity => ({
    '@odata.etag': `W/"${id.length}77120"`,
    wcp_quickreplyid: id,
    wcp_title: title,
    wcp_text: text,
    wcp_language: language,
    statecode: 0,
    'statecode@OData.Community.Display.V1.FormattedValue': 'Active',
  });
  const library = [
    quickReply('6b0f0a51-0000-4000-8000-000000000001', 'Begrüßung', 'Hallo {customer.name}, hier ist {agent.name}.', 'de'),
    quickReply('6b0f0a51-0000-4000-8000-000000000002', 'Greeting', 'Hi {customer.name}, this is {agent.name}.', 'en'),
    quickReply('6b0f0a51-0000-4000-8000-000000000003', 'Order number', 'Order {record.ordernumber}', null),
  ];

  test('listQuickReplies reads active wcp_quickreply rows by title, in the agent\'s language and language-neutral', async () => {
    const { crm, calls } = fakeDataverse({ rows: { wcp_quickreply: library } });
    const replies = await crm.listQuickReplies('de-AT');
    assert.deepEqual(calls, [
      ['retrieveMultipleRecords', 'wcp_quickreply', '?$select=wcp_quickreplyid,wcp_title,wcp_text,wcp_language&$filter=statecode eq 0&$orderby=wcp_title'],
    ]);
    assert.deepEqual(replies, [
      { id: '6b0f0a51-0000-4000-8000-000000000001', title: 'Begrüßung', body: 'Hallo {customer.name}, hier ist {agent.name}.', tags: [] },
      { id: '6b0f0a51-0000-4000-8000-000000000003', title: 'Order number', body: 'Order {record.ordernumber}', tags: [] },
    ]);
  });

  test('listQuickReplies gives every active reply when none is in the agent\'s language', async () => {
    const { crm } = fakeDataverse({ rows: { wcp_quickreply: library } });
    const replies = await crm.listQuickReplies('fr');
    assert.deepEqual(replies.map((r) => r.title), ['Begrüßung', 'Greeting', 'Order number']);
  });

  test('listScripts reads active wcp_agentscript rows, one step a line in order, "title | text" insertable', async () => {
    const script: Entity = {
      '@odata.etag': 'W/"5120033"',
      wcp_agentscriptid: '7c1e0b62-0000-4000-8000-000000000001',
      wcp_name: 'Returns',
      wcp_steps: '1. Greet | Hi {customer.name}!\r\n\r\n2. Check the order number\r\n3. Explain the refund | Refunds take 5–7 days.',
      'modifiedon@OData.Community.Display.V1.FormattedValue': '3/12/2026 9:14 AM',
      modifiedon: '2026-03-12T09:14:00Z',
    };
    const empty: Entity = { '@odata.etag': 'W/"1"', wcp_agentscriptid: '7c1e0b62-0000-4000-8000-000000000002', wcp_name: 'Draft', wcp_steps: null };
    const { crm, calls } = fakeDataverse({ rows: { wcp_agentscript: [script, empty] } });
    const scripts = await crm.listScripts();
    assert.deepEqual(calls, [['retrieveMultipleRecords', 'wcp_agentscript', '?$select=wcp_agentscriptid,wcp_name,wcp_steps&$filter=statecode eq 0&$orderby=wcp_name']]);
    assert.deepEqual(scripts, [
      {
        id: '7c1e0b62-0000-4000-8000-000000000001',
        name: 'Returns',
        steps: [
          { id: 'step-1', title: 'Greet', text: 'Hi {customer.name}!' },
          { id: 'step-2', title: 'Check the order number', text: null },
          { id: 'step-3', title: 'Explain the refund', text: 'Refunds take 5–7 days.' },
        ],
      },
    ]);
  });

  for (const [what, failWith] of [
    ['the solution is not imported', { errorCode: -2147217150, message: "The entity with a name = 'wcp_quickreply' with namemapping = 'Logical' was not found in the MetadataCache." }],
    ['the agent lacks read privilege', { errorCode: -2147220960, message: 'Principal user (Id=4a1c1c8e-0c6b-ef11-a670-000d3a8b1234, type=8, roleCount=1) is missing prvReadwcp_quickreply privilege' }],
  ] as const) {
    test(`quick replies and scripts: when ${what}, none (the panel falls back to the relay's) and a console warning with Dataverse's reason`, async (t) => {
      const warn = t.mock.method(console, 'warn', () => undefined);
      const { crm } = fakeDataverse({ failWith });
      assert.deepEqual(await crm.listQuickReplies('en'), []);
      assert.deepEqual(await crm.listScripts(), []);
      assert.equal(warn.mock.callCount(), 2);
      const warned = String(warn.mock.calls[0]!.arguments[0]);
      assert.match(warned, /quick replies could not be read from Dataverse/);
      assert.ok(warned.includes(failWith.message), warned);
    });
  }

  test("Dataverse's error reaches the agent as a CrmError with its message", async () => {
    const failWith = {
      errorCode: -2147220960,
      message: 'Principal user (Id=4a1c1c8e-0c6b-ef11-a670-000d3a8b1234, type=8) is missing prvCreateIncident privilege',
    };
    const { crm } = fakeDataverse({ failWith });
    const expected = (error: unknown) => {
      assert.ok(error instanceof CrmError);
      assert.equal(error.message, failWith.message);
      assert.equal(error.code, 'dataverse_0x80040220');
      return true;
    };
    await assert.rejects(crm.findContactsByPhone('+15550101234'), expected);
    await assert.rejects(crm.searchRecords('x'), expected);
    await assert.rejects(crm.createRecord({ entityType: 'contact', fields: { lastname: 'X' } }), expected);
    await assert.rejects(crm.linkConversation({ entityType: 'contact', id: 'c1', name: 'X' }, { conversationId: 'c', summary: '' }), expected);
    await assert.rejects(crm.unlinkConversation({ entityType: 'contact', id: 'c1', name: 'X' }, 'n1'), expected);
    await assert.rejects(crm.findConversationLinks({ entityType: 'contact', id: maria.contactid as string, name: 'X' }, 'c'), expected);
    await assert.rejects(crm.openRecord({ entityType: 'contact', id: 'c1', name: 'X' }), expected);
    await assert.rejects(crm.searchKnowledge('x'), expected);
  });
});

/** Knowledge search against a table that answers the `$filter` as Dataverse would (./odata-filter.ts). */
describe('DataverseCrm knowledge search, as Dataverse filters', () => {
  const article = (id: string, title: string, description: string, keywords: string): Entity => ({
    '@odata.etag': 'W/"9"',
    knowledgearticleid: id,
    title,
    description,
    keywords,
    articlepublicnumber: `KA-0${id.slice(1)}`,
    statecode: 3,
    isinternal: false,
  });
  // In Dataverse's order: the refund article comes first.
  const table = [
    article('k2', 'Refunds and returns', 'How long a refund takes and how to return an item', 'refund, return, money'),
    article('k1', 'Track your parcel', 'Where to find the tracking number and what each delivery status means', 'parcel, tracking, delivery'),
    article('k3', 'Internal: parcel fraud', 'For agents only', 'parcel'),
  ];
  table[2]!.isinternal = true;

  function dataverse() {
    const queries: URLSearchParams[] = [];
    const webApi = {
      async retrieveMultipleRecords(entityType: string, options?: string) {
        queries.push(queryOptions(options));
        return { entities: entityType === 'knowledgearticle' ? retrieve(table, options) : [] } as ComponentFramework.WebApi.RetrieveMultipleResponse;
      },
      createRecord: () => Promise.reject(new Error('not used')),
      deleteRecord: () => Promise.reject(new Error('not used')),
    };
    const navigation = { openForm: () => Promise.reject(new Error('not used')) };
    const crm = new DataverseCrm(webApi, navigation, { knowledgeUrlTemplate: 'https://support.contoso.com/kb/{number}' });
    const ids = async (query: string) => (await crm.searchKnowledge(query)).map((a) => a.id);
    return { crm, ids, queries };
  }

  test("smart assist finds the tracking article for the customer's message about a parcel", async () => {
    const query = keywords('Where is my parcel? The tracking says nothing').join(' ');
    assert.equal(query, 'parcel tracking says nothing'); // what the side pane asks (wcp-assist-query)
    assert.deepEqual(await dataverse().ids(query), ['k1']);
  });

  test('the Knowledge tab finds an article by any of the words typed, not only by the whole phrase', async () => {
    const { ids } = dataverse();
    assert.deepEqual(await ids('parcel'), ['k1']);
    assert.deepEqual(await ids('parcel tracking'), ['k1']);
    assert.deepEqual((await ids('Parcel REFUND')).sort(), ['k1', 'k2']);
  });

  test('articles matching more of the words come first, the title counting most', async () => {
    const { ids } = dataverse();
    assert.deepEqual(await ids('refund parcel tracking'), ['k1', 'k2']);
    assert.deepEqual(await ids('refund money parcel'), ['k2', 'k1']);
  });

  test('stop words and sentence punctuation are not searched: "how" would find every how-to', async () => {
    const { ids, queries } = dataverse();
    assert.deepEqual(await ids('How do I track my parcel?'), ['k1']);
    assert.match(queries[0]!.get('$filter')!, /\(contains\(title,'track'\) or .* or contains\(description,'parcel'\)\)$/);
    // A query of stop words only is searched as typed rather than ignored.
    assert.deepEqual(await ids('how to'), ['k2']);
  });

  test('at most 8 words are searched, the first ones', async () => {
    const { ids, queries } = dataverse();
    await ids('alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo parcel');
    assert.equal(queries[0]!.get('$filter')!.match(/contains\(/g)!.length, 8 * 3);
    assert.doesNotMatch(queries[0]!.get('$filter')!, /india|parcel/);
  });

  test('gives no more articles than the search limit, the best ones', async () => {
    const webApi = {
      retrieveMultipleRecords: async (_: string, options?: string) => ({ entities: retrieve(table, options) }) as ComponentFramework.WebApi.RetrieveMultipleResponse,
      createRecord: () => Promise.reject(new Error('not used')),
      deleteRecord: () => Promise.reject(new Error('not used')),
    };
    const crm = new DataverseCrm(webApi, { openForm: () => Promise.reject(new Error('not used')) }, { searchLimit: 1 });
    assert.deepEqual((await crm.searchKnowledge('return parcel tracking')).map((a) => a.title), ['Track your parcel']);
  });
});

/** Knowledge search in the user's language, against articles with their `languagelocaleid` lookup as Dataverse expands it. */
describe("DataverseCrm knowledge search in the user's language", () => {
  const language = (localeid: number, code: string): Entity => ({ languagelocaleid: `0f5e1c7a-0000-4000-8000-00000000${localeid}`, localeid, code });
  const languages = [language(1033, 'en-us'), language(2057, 'en-gb'), language(1031, 'de-de')];
  const lookups: Record<string, Lookup> = { languagelocaleid: { column: '_languagelocaleid_value', rows: languages, key: 'languagelocaleid' } };
  const article = (id: string, title: string, keywords: string, code: string | null): Entity => ({
    '@odata.etag': 'W/"9"',
    knowledgearticleid: id,
    title,
    description: '',
    keywords,
    articlepublicnumber: `KA-0${id.slice(1)}`,
    statecode: 3,
    isinternal: false,
    _languagelocaleid_value: languages.find((l) => l.code === code)?.languagelocaleid ?? null,
  });
  const table = [
    article('k1', 'Paying with PayPal', 'paypal, payment', 'en-us'),
    article('k2', 'Bezahlen mit PayPal', 'paypal, zahlung', 'de-de'),
    article('k3', 'Paying by card (UK)', 'card, payment', 'en-gb'),
    article('k4', 'PayPal and card fees', 'paypal, card', null),
  ];

  function search(languageId?: number) {
    const webApi = {
      retrieveMultipleRecords: async (_: string, options?: string) => ({ entities: retrieve(table, options, lookups) }) as ComponentFramework.WebApi.RetrieveMultipleResponse,
      createRecord: () => Promise.reject(new Error('not used')),
      deleteRecord: () => Promise.reject(new Error('not used')),
    };
    const crm = new DataverseCrm(webApi, { openForm: () => Promise.reject(new Error('not used')) }, languageId === undefined ? {} : { languageId });
    return async (query: string) => (await crm.searchKnowledge(query)).map((a) => a.id).sort();
  }

  test('a German user finds the German article, not the English one for the same words; an article without language is kept', async () => {
    // 3079 de-AT: an Austrian user reads the de-DE article.
    assert.deepEqual(await search(3079)('PayPal'), ['k2', 'k4']);
  });

  test('an en-GB article counts for an en-US user', async () => {
    assert.deepEqual(await search(1033)('PayPal card'), ['k1', 'k3', 'k4']);
  });

  test("with no article in the user's language among the matches, those in every language are shown", async () => {
    const german = search(1031);
    assert.deepEqual(await german('card'), ['k3', 'k4'], 'no German article is about cards');
    assert.deepEqual(await german('PayPal card'), ['k2', 'k4']);
  });

  test('the fake Dataverse expands a lookup as Dataverse does, and refuses a navigation property the table does not have', () => {
    const [english, none] = retrieve(table, '?$select=title&$expand=languagelocaleid($select=localeid)&$filter=knowledgearticleid eq \'k1\' or knowledgearticleid eq \'k4\'', lookups);
    assert.deepEqual(english, { title: 'Paying with PayPal', languagelocaleid: { localeid: 1033, languagelocaleid: '0f5e1c7a-0000-4000-8000-000000001033' } });
    assert.deepEqual(none, { title: 'PayPal and card fees', languagelocaleid: null });
    assert.throws(() => retrieve(table, '?$select=title&$expand=subjectid($select=title)', lookups), /Could not find a property named 'subjectid'/);
  });
});

test('literal doubles quotes and percent-encodes what would break the URL', () => {
  assert.equal(literal("it's 100% #1 & +"), "'it''s%20100%25%20%231%20%26%20%2B'");
});
