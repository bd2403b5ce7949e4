// The tables in the solution, checked structurally (no Dynamics here): customizations.xml and
// solution.xml parse as XML, the tables, columns, forms and views named in shared/DESIGN.md
// ("The CRM record") are there with their types, and pcf/solution/*.columns.json (what a relay
// unit test checks its writes against) agrees with the XML.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, test } from 'node:test';

const require = createRequire(import.meta.url);
// xml2js comes with pcf-scripts (a devDependency of pcf); strict mode rejects XML that is not well-formed.
const { parseStringPromise } = require('xml2js') as { parseStringPromise(xml: string, options?: object): Promise<unknown> };
const { solutionXml, customizationsXml } = require('../scripts/package.cjs') as {
  solutionXml(version: string, controlName: string): string;
  customizationsXml(controlName: string): string;
};
const { columnFiles, solutionDir } = require('../scripts/solution/columns.cjs') as { columnFiles(): Record<string, string>; solutionDir: string };

const CONTROL = 'wcp_Wcp.WhatsAppPanel';

/** xml2js node: child elements as arrays, attributes under `$`, text under `_`. */
type Node = { $?: Record<string, string>; _?: string } & { [child: string]: Node[] | Record<string, string> | string | undefined };

function kids(node: Node, name: string): Node[] {
  const value = node[name];
  return Array.isArray(value) ? value : [];
}
function one(node: Node, ...names: string[]): Node {
  let current = node;
  for (const name of names) {
    const [next] = kids(current, name);
    assert.ok(next, `no <${name}> element`);
    current = next;
  }
  return current;
}
function text(node: Node, name: string): string {
  const [child] = kids(node, name);
  if (child === undefined) return '';
  return typeof child === 'string' ? child : (child._ ?? '');
}
/** Every descendant element named `name`. */
function all(node: Node, name: string): Node[] {
  const found: Node[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === '$' || key === '_' || !Array.isArray(value)) continue;
    for (const child of value as Node[]) {
      if (typeof child !== 'object') continue;
      if (key === name) found.push(child);
      found.push(...all(child, name));
    }
  }
  return found;
}
const parse = async (xml: string) => (await parseStringPromise(xml, { strict: true, explicitCharkey: true })) as Record<string, Node>;

describe('solution tables', async () => {
  const customizations = (await parse(customizationsXml(CONTROL))).ImportExportXml!;
  const solution = (await parse(solutionXml('0.1.0', CONTROL))).ImportExportXml!;
  const entities = kids(one(customizations, 'Entities'), 'Entity');
  const entity = (schema: string) => {
    const found = entities.find((e) => text(e, 'Name') === schema);
    assert.ok(found, `customizations.xml has no entity ${schema}`);
    return found;
  };
  const info = (schema: string) => one(entity(schema), 'EntityInfo', 'entity');
  const attribute = (schema: string, name: string) => {
    const found = kids(one(info(schema), 'attributes'), 'attribute').find((a) => text(a, 'LogicalName') === name);
    assert.ok(found, `${schema} has no column ${name}`);
    return found;
  };
  const expectColumn = (schema: string, name: string, type: string, maxLength?: number) => {
    const a = attribute(schema, name);
    assert.equal(text(a, 'Type'), type, `${schema}.${name} type`);
    if (maxLength !== undefined) assert.equal(Number(text(a, 'MaxLength')), maxLength, `${schema}.${name} max length`);
    else if (type === 'nvarchar' || type === 'ntext') assert.ok(Number(text(a, 'MaxLength')) > 0, `${schema}.${name} has a max length`);
  };

  test('customizations.xml and solution.xml are well-formed XML with the three tables', () => {
    assert.deepEqual(entities.map((e) => text(e, 'Name')).sort(), ['wcp_agentscript', 'wcp_quickreply', 'wcp_whatsappconversation']);
    for (const e of entities) assert.equal(one(e, 'EntityInfo', 'entity').$!.Name, text(e, 'Name'));
  });

  test('wcp_whatsappconversation is a user-owned custom activity with entity set wcp_whatsappconversations', () => {
    const e = info('wcp_whatsappconversation');
    assert.equal(text(e, 'IsActivity'), '1');
    assert.equal(text(e, 'OwnershipTypeMask'), 'UserOwned');
    assert.equal(text(e, 'EntitySetName'), 'wcp_whatsappconversations');
    assert.equal(text(e, 'IsActivityParty'), '0');
  });

  test('wcp_whatsappconversation has every column of DESIGN.md with its type and length', () => {
    const t = 'wcp_whatsappconversation';
    expectColumn(t, 'subject', 'nvarchar', 200);
    expectColumn(t, 'wcp_conversationid', 'nvarchar');
    expectColumn(t, 'wcp_transcript', 'ntext', 1048576);
    for (const name of ['wcp_customerphone', 'wcp_profilename', 'wcp_agentname', 'wcp_queue', 'wcp_disposition', 'wcp_sentiment']) expectColumn(t, name, 'nvarchar');
    expectColumn(t, 'wcp_summary', 'ntext');
    expectColumn(t, 'wcp_messagecount', 'int');
    expectColumn(t, 'actualstart', 'datetime');
    expectColumn(t, 'actualend', 'datetime');
    assert.ok(Number(text(attribute(t, 'wcp_customerphone'), 'MaxLength')) >= 16, 'room for an E.164 number');
    for (const name of ['wcp_conversationid', 'wcp_transcript', 'wcp_summary', 'wcp_messagecount']) assert.equal(text(attribute(t, name), 'IsCustomField'), '1');
  });

  test('wcp_whatsappconversation has the attributes every activity has', () => {
    const t = 'wcp_whatsappconversation';
    assert.equal(attribute(t, 'activityid').$!.PhysicalName, 'ActivityId');
    expectColumn(t, 'activityid', 'primarykey');
    expectColumn(t, 'regardingobjectid', 'lookup');
    for (const name of ['scheduledstart', 'scheduledend', 'createdon', 'modifiedon', 'sortdate']) expectColumn(t, name, 'datetime');
    expectColumn(t, 'ownerid', 'owner');
    for (const name of ['owningbusinessunit', 'owninguser', 'owningteam', 'createdby', 'modifiedby']) expectColumn(t, name, 'lookup');
    for (const name of ['from', 'to', 'customers']) expectColumn(t, name, 'partylist');
    expectColumn(t, 'description', 'ntext', 2000);
    assert.equal(text(attribute(t, 'subject'), 'RequiredLevel'), 'applicationrequired');
    assert.equal(text(attribute(t, 'ownerid'), 'RequiredLevel'), 'systemrequired');
  });

  test('activity states Open/Completed/Canceled/Scheduled; closing is statecode 1 with statuscode 2', () => {
    const states = all(attribute('wcp_whatsappconversation', 'statecode'), 'state').map((s) => [s.$!.value, s.$!.invariantname, s.$!.defaultstatus]);
    assert.deepEqual(states, [['0', 'Open', '1'], ['1', 'Completed', '2'], ['2', 'Canceled', '3'], ['3', 'Scheduled', '4']]);
    const statuses = all(attribute('wcp_whatsappconversation', 'statuscode'), 'status').map((s) => [s.$!.value, s.$!.state]);
    assert.deepEqual(statuses, [['1', '0'], ['2', '1'], ['3', '2'], ['4', '3']]);
    const regardingTargets = readColumns('wcp_whatsappconversation').columns.find((c) => c.logicalName === 'regardingobjectid')?.targets;
    assert.deepEqual(regardingTargets, ['account', 'contact', 'incident']);
  });

  test('wcp_quickreply and wcp_agentscript: user owned, not activities, active via statecode, with their columns', () => {
    for (const [t, set] of [['wcp_quickreply', 'wcp_quickreplies'], ['wcp_agentscript', 'wcp_agentscripts']] as const) {
      assert.equal(text(info(t), 'IsActivity'), '0');
      assert.equal(text(info(t), 'OwnershipTypeMask'), 'UserOwned');
      assert.equal(text(info(t), 'EntitySetName'), set);
      expectColumn(t, `${t}id`, 'primarykey');
      expectColumn(t, 'statecode', 'state');
      expectColumn(t, 'statuscode', 'status');
      expectColumn(t, 'ownerid', 'owner');
      assert.deepEqual(all(attribute(t, 'statecode'), 'state').map((s) => [s.$!.value, s.$!.invariantname]), [['0', 'Active'], ['1', 'Inactive']]);
    }
    expectColumn('wcp_quickreply', 'wcp_title', 'nvarchar');
    expectColumn('wcp_quickreply', 'wcp_text', 'ntext');
    expectColumn('wcp_quickreply', 'wcp_language', 'nvarchar');
    expectColumn('wcp_agentscript', 'wcp_name', 'nvarchar');
    expectColumn('wcp_agentscript', 'wcp_steps', 'ntext');
  });

  test('the conversation main form has the tabs Details, History and Transcript, the transcript on its own tab', () => {
    const forms = kids(one(entity('wcp_whatsappconversation'), 'FormXml', 'forms'), 'systemform');
    const form = forms.find((f) => one(f, 'LocalizedNames', 'LocalizedName').$!.description === 'WhatsApp conversation');
    assert.ok(form, 'main form "WhatsApp conversation"');
    assert.equal(one(entity('wcp_whatsappconversation'), 'FormXml', 'forms').$!.type, 'main');
    const tabs = all(form, 'tab');
    assert.deepEqual(tabs.map((tab) => one(tab, 'labels', 'label').$!.description), ['Details', 'History', 'Transcript']);
    const fields = (tab: Node) => all(tab, 'control').map((c) => c.$!.datafieldname).filter(Boolean);
    assert.deepEqual(fields(tabs[2]!), ['wcp_transcript']);
    for (const name of ['subject', 'wcp_customerphone', 'wcp_profilename', 'regardingobjectid', 'wcp_agentname', 'wcp_queue', 'actualstart', 'actualend', 'wcp_disposition', 'wcp_summary', 'wcp_sentiment', 'wcp_messagecount']) {
      assert.ok(fields(tabs[0]!).includes(name), `Details tab shows ${name}`);
    }
    assert.ok(all(tabs[1]!, 'control').some((c) => c.$!.id === 'notescontrol'), 'History tab has the timeline');
  });

  test('every form control and view column is a column of its table; form, view, tab, section and cell ids are unique', () => {
    const ids = new Set<string>();
    for (const e of entities) {
      const schema = text(e, 'Name');
      const names = new Set(kids(one(info(schema), 'attributes'), 'attribute').map((a) => text(a, 'LogicalName')));
      for (const control of all(one(e, 'FormXml'), 'control')) {
        if (control.$!.datafieldname) assert.ok(names.has(control.$!.datafieldname), `${schema} form field ${control.$!.datafieldname}`);
      }
      for (const query of all(one(e, 'SavedQueries'), 'savedquery')) {
        for (const cell of all(one(query, 'layoutxml'), 'cell')) assert.ok(names.has(cell.$!.name!), `${schema} view column ${cell.$!.name}`);
        for (const attr of all(one(query, 'fetchxml'), 'attribute')) assert.ok(names.has(attr.$!.name!), `${schema} view attribute ${attr.$!.name}`);
        assert.equal(one(query, 'fetchxml', 'fetch', 'entity').$!.name, schema);
        const id = text(query, 'savedqueryid');
        assert.ok(!ids.has(id), `duplicate id ${id}`);
        ids.add(id);
      }
      const formIds = [...all(one(e, 'FormXml'), 'systemform').map((f) => text(f, 'formid')), ...['tab', 'section', 'cell'].flatMap((n) => all(one(e, 'FormXml'), n).map((x) => x.$!.id!))];
      for (const id of formIds) {
        assert.match(id, /^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/);
        assert.ok(!ids.has(id), `duplicate id ${id}`);
        ids.add(id);
      }
    }
  });

  test('views: "Active WhatsApp conversations" is the default public view of open conversations; each table has its view and main form', () => {
    const views = (schema: string) => all(one(entity(schema), 'SavedQueries'), 'savedquery');
    const named = (schema: string, name: string) => {
      const view = views(schema).find((v) => one(v, 'LocalizedNames', 'LocalizedName').$!.description === name);
      assert.ok(view, `${schema} has no view "${name}"`);
      return view;
    };
    const active = named('wcp_whatsappconversation', 'Active WhatsApp conversations');
    assert.equal(text(active, 'querytype'), '0');
    assert.equal(text(active, 'isdefault'), '1');
    assert.deepEqual(all(one(active, 'fetchxml'), 'condition').map((c) => [c.$!.attribute, c.$!.operator, c.$!.value]), [['statecode', 'eq', '0']]);
    named('wcp_quickreply', 'Active WhatsApp quick replies');
    named('wcp_agentscript', 'Active WhatsApp agent scripts');
    for (const e of entities) {
      assert.equal(all(one(e, 'FormXml'), 'systemform').length, 1, `${text(e, 'Name')} main form`);
      const types = views(text(e, 'Name')).map((v) => text(v, 'querytype')).sort();
      assert.deepEqual(types, ['0', '0', '1', '2', '4', '64'], `${text(e, 'Name')}: public, advanced find, associated, quick find, lookup views`);
    }
  });

  test('solution.xml lists the three tables (type 1) and the control (type 66) as root components', () => {
    const roots = kids(one(solution, 'SolutionManifest', 'RootComponents'), 'RootComponent').map((r) => [r.$!.type, r.$!.schemaName]);
    assert.deepEqual(roots, [
      ['1', 'wcp_whatsappconversation'],
      ['1', 'wcp_quickreply'],
      ['1', 'wcp_agentscript'],
      ['66', CONTROL],
    ]);
    assert.equal(text(one(solution, 'SolutionManifest'), 'Managed'), '0');
  });

  test('pcf/solution/*.columns.json are what tables.cjs generates (run node pcf/scripts/solution/columns.cjs)', () => {
    for (const [name, generated] of Object.entries(columnFiles())) {
      assert.equal(readFileSync(path.join(solutionDir, name), 'utf8'), generated, `pcf/solution/${name} is out of date`);
    }
  });

  test('columns.json lists exactly the attributes of customizations.xml, with their max lengths', () => {
    const apiType: Record<string, string> = { primarykey: 'Uniqueidentifier', uniqueidentifier: 'Uniqueidentifier', nvarchar: 'String', ntext: 'Memo', int: 'Integer', bigint: 'BigInt', decimal: 'Decimal', datetime: 'DateTime', bit: 'Boolean', picklist: 'Picklist', lookup: 'Lookup', owner: 'Owner', state: 'State', status: 'Status', partylist: 'PartyList' };
    for (const e of entities) {
      const schema = text(e, 'Name');
      const json = readColumns(schema);
      assert.equal(json.entitySetName, text(info(schema), 'EntitySetName'));
      const fromXml = kids(one(info(schema), 'attributes'), 'attribute')
        .map((a) => [text(a, 'LogicalName'), apiType[text(a, 'Type')], text(a, 'MaxLength') ? Number(text(a, 'MaxLength')) : undefined])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      assert.deepEqual(json.columns.map((c) => [c.logicalName, c.type, c.maxLength]), fromXml);
    }
    const conversation = readColumns('wcp_whatsappconversation');
    assert.equal(conversation.primaryIdAttribute, 'activityid');
    assert.equal(conversation.regardingNavigationProperties?.contact, 'regardingobjectid_contact_wcp_whatsappconversation');
  });

  test('columns.json: every column the relay writes (issue 16) exists and an upsert may set it', () => {
    const byName = new Map(readColumns('wcp_whatsappconversation').columns.map((c) => [c.logicalName, c]));
    const writes = ['subject', 'wcp_conversationid', 'wcp_transcript', 'wcp_customerphone', 'wcp_profilename', 'wcp_agentname', 'wcp_queue', 'wcp_disposition', 'wcp_summary', 'wcp_messagecount', 'wcp_sentiment', 'actualstart', 'actualend', 'statecode', 'statuscode', 'regardingobjectid'];
    for (const name of writes) {
      const column = byName.get(name);
      assert.ok(column, `no column ${name}`);
      assert.equal(column.validForUpdate, true, `${name} can be updated`);
    }
    assert.equal(byName.get('wcp_transcript')?.maxLength, 1048576);
    assert.equal(byName.get('wcp_messagecount')?.type, 'Integer');
    // As exported: a state is set by an update, not on create (the relay creates on accept, closes later).
    assert.equal(byName.get('statecode')?.validForCreate, false);
  });
});

type ColumnsJson = {
  entitySetName: string;
  primaryIdAttribute: string;
  regardingNavigationProperties?: Record<string, string>;
  columns: { logicalName: string; type: string; maxLength?: number; targets?: string[]; validForCreate: boolean; validForUpdate: boolean }[];
};
function readColumns(schema: string): ColumnsJson {
  return JSON.parse(readFileSync(path.join(solutionDir, `${schema}.columns.json`), 'utf8')) as ColumnsJson;
}
