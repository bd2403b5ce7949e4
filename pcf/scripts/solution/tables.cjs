// The tables the solution holds, as data: customizations.xml (entity-xml.cjs) and
// pcf/solution/*.columns.json (columns.cjs) are both generated from these definitions, so the
// relay's column check and the imported table cannot disagree.
//
// Column logical names are fixed by shared/DESIGN.md ("The CRM record (Dataverse)").
//
// The attributes every custom activity carries are copied from a real custom activity table's
// published definition: LinkedIn inMail (`li_inmail`, IsActivity, UserOwned, PrimaryIdAttribute
// activityid, PrimaryNameAttribute subject), MicrosoftDocs/dynamics-365-customer-engagement,
// ce/field-service/entities/li_inmail.md: names, types, max lengths, required levels and the
// state/status options (Open 0/1, Completed 1/2, Canceled 2/3, Scheduled 3/4). The XML shape of
// a user-owned custom table (<EntityInfo><entity> settings, each <attribute> with its option set
// or lookup types, the system columns every user-owned table carries, the main <systemform>, the
// system views by querytype) follows a real 2025 Dataverse export (OrganizationVersion 9.2):
// meandtech2001/Apollo-HealthCare-Management-D365-CRM-,
// ApolloHospitalProject_1_0_0_3_managed/customizations.xml (table apollo_ApolloInvoice), and
// Entities/apollo_ApolloFeedbacks/Entity.xml of the same repository (SolutionPackager layout).
'use strict';

/**
 * A column. `type` is the customizations.xml <Type>: primarykey, nvarchar (single line text),
 * ntext (multiple lines), int, bigint, decimal, datetime, bit, picklist, lookup, owner, state,
 * status, uniqueidentifier, partylist. (ActivityTypeCode, an EntityName column, is the
 * platform's: CustomizationsSolution.xsd has no such <Type>, and exports leave it out.) `custom` marks the publisher's own columns.
 * `api` is the Web API / AttributeMetadata type name the relay sees.
 * @typedef {{ schema: string, type: string, label: string, description?: string, required?: 'none'|'applicationrequired'|'systemrequired',
 *   maxLength?: number, format?: string, min?: number, max?: number, targets?: string[], options?: [number, string][],
 *   states?: { value: number, label: string, invariant: string, defaultStatus: number }[], statuses?: { value: number, state: number, label: string }[],
 *   create?: boolean, update?: boolean, custom?: boolean }} Column
 */

const ACTIVITY_STATES = [
  { value: 0, label: 'Open', invariant: 'Open', defaultStatus: 1 },
  { value: 1, label: 'Completed', invariant: 'Completed', defaultStatus: 2 },
  { value: 2, label: 'Canceled', invariant: 'Canceled', defaultStatus: 3 },
  { value: 3, label: 'Scheduled', invariant: 'Scheduled', defaultStatus: 4 },
];
const ACTIVITY_STATUSES = [
  { value: 1, state: 0, label: 'Open' },
  { value: 2, state: 1, label: 'Completed' },
  { value: 3, state: 2, label: 'Canceled' },
  { value: 4, state: 3, label: 'Scheduled' },
];
const RECORD_STATES = [
  { value: 0, label: 'Active', invariant: 'Active', defaultStatus: 1 },
  { value: 1, label: 'Inactive', invariant: 'Inactive', defaultStatus: 2 },
];
const RECORD_STATUSES = [
  { value: 1, state: 0, label: 'Active' },
  { value: 2, state: 1, label: 'Inactive' },
];
const PRIORITY = [[0, 'Low'], [1, 'Normal'], [2, 'High']];
const PARTY_TARGETS = ['account', 'contact', 'lead', 'systemuser'];
const readOnly = { create: false, update: false };

/** Columns the platform keeps on every user-owned table (li_inmail's read-only list, minus the activity ones). */
function ownershipColumns(noun) {
  return [
    { schema: 'CreatedBy', type: 'lookup', label: 'Created By', targets: ['systemuser'], ...readOnly },
    { schema: 'CreatedOn', type: 'datetime', label: 'Created On', ...readOnly },
    { schema: 'CreatedOnBehalfBy', type: 'lookup', label: 'Created By (Delegate)', targets: ['systemuser'], ...readOnly },
    { schema: 'ModifiedBy', type: 'lookup', label: 'Modified By', targets: ['systemuser'], ...readOnly },
    { schema: 'ModifiedOn', type: 'datetime', label: 'Modified On', ...readOnly },
    { schema: 'ModifiedOnBehalfBy', type: 'lookup', label: 'Modified By (Delegate)', targets: ['systemuser'], ...readOnly },
    { schema: 'ImportSequenceNumber', type: 'int', label: 'Import Sequence Number', min: -2147483648, max: 2147483647, update: false },
    { schema: 'OverriddenCreatedOn', type: 'datetime', label: 'Record Created On', format: 'date', update: false },
    { schema: 'OwnerId', type: 'owner', label: 'Owner', required: 'systemrequired', targets: ['systemuser', 'team'], description: `Owner of the ${noun}.` },
    { schema: 'OwningBusinessUnit', type: 'lookup', label: 'Owning Business Unit', targets: ['businessunit'], ...readOnly },
    { schema: 'OwningTeam', type: 'lookup', label: 'Owning Team', targets: ['team'], ...readOnly },
    { schema: 'OwningUser', type: 'lookup', label: 'Owning User', targets: ['systemuser'], ...readOnly },
    { schema: 'TimeZoneRuleVersionNumber', type: 'int', label: 'Time Zone Rule Version Number', min: -1, max: 2147483647 },
    { schema: 'UTCConversionTimeZoneCode', type: 'int', label: 'UTC Conversion Time Zone Code', min: -1, max: 2147483647 },
    { schema: 'VersionNumber', type: 'bigint', label: 'Version Number', ...readOnly },
  ];
}

/** The attributes a custom activity has (li_inmail.md), besides ownership. */
const ACTIVITY_COLUMNS = [
  { schema: 'ActivityId', type: 'primarykey', label: 'Activity', required: 'systemrequired', update: false, description: 'Unique identifier of the activity.' },
  { schema: 'Subject', type: 'nvarchar', label: 'Subject', required: 'applicationrequired', maxLength: 200, description: 'Subject associated with the activity.' },
  { schema: 'ActivityAdditionalParams', type: 'ntext', label: 'Activity Additional Parameters', maxLength: 8192 },
  { schema: 'ActualDurationMinutes', type: 'int', label: 'Actual Duration', min: 0, max: 2147483647 },
  { schema: 'ActualStart', type: 'datetime', label: 'Actual Start', description: 'Actual start time of the activity.' },
  { schema: 'ActualEnd', type: 'datetime', label: 'Actual End', description: 'Actual end time of the activity.' },
  { schema: 'ScheduledStart', type: 'datetime', label: 'Start Date' },
  { schema: 'ScheduledEnd', type: 'datetime', label: 'Due Date' },
  { schema: 'ScheduledDurationMinutes', type: 'int', label: 'Scheduled Duration', min: 0, max: 2147483647 },
  { schema: 'Description', type: 'ntext', label: 'Description', maxLength: 2000 },
  { schema: 'RegardingObjectId', type: 'lookup', label: 'Regarding', targets: ['account', 'contact', 'incident'], description: 'Unique identifier of the object with which the activity is associated.' },
  { schema: 'StateCode', type: 'state', label: 'Activity Status', required: 'systemrequired', create: false, states: ACTIVITY_STATES },
  { schema: 'StatusCode', type: 'status', label: 'Status Reason', statuses: ACTIVITY_STATUSES },
  { schema: 'PriorityCode', type: 'picklist', label: 'Priority', options: PRIORITY },
  { schema: 'DeliveryPriorityCode', type: 'picklist', label: 'Delivery Priority', options: PRIORITY },
  { schema: 'InstanceTypeCode', type: 'picklist', label: 'Recurring Instance Type', required: 'systemrequired', ...readOnly,
    options: [[0, 'Not Recurring'], [1, 'Recurring Master'], [2, 'Recurring Instance'], [3, 'Recurring Exception'], [4, 'Recurring Future Exception']] },
  { schema: 'IsBilled', type: 'bit', label: 'Is Billed' },
  { schema: 'IsMapiPrivate', type: 'bit', label: 'Is Private' },
  { schema: 'IsRegularActivity', type: 'bit', label: 'Is Regular Activity', required: 'systemrequired', ...readOnly },
  { schema: 'IsWorkflowCreated', type: 'bit', label: 'Is Workflow Created' },
  { schema: 'LeftVoiceMail', type: 'bit', label: 'Left Voice Mail' },
  { schema: 'LastOnHoldTime', type: 'datetime', label: 'Last On Hold Time' },
  { schema: 'OnHoldTime', type: 'int', label: 'On Hold Time (Minutes)', min: -2147483648, max: 2147483647, ...readOnly },
  { schema: 'SortDate', type: 'datetime', label: 'Sort Date' },
  { schema: 'SentOn', type: 'datetime', label: 'Date Sent', ...readOnly },
  { schema: 'DeliveryLastAttemptedOn', type: 'datetime', label: 'Date Delivery Last Attempted', ...readOnly },
  { schema: 'PostponeActivityProcessingUntil', type: 'datetime', label: 'Delay activity processing until', ...readOnly },
  { schema: 'ExchangeItemId', type: 'nvarchar', label: 'Exchange Item ID', maxLength: 200 },
  { schema: 'ExchangeWebLink', type: 'nvarchar', label: 'Exchange WebLink', maxLength: 1250 },
  { schema: 'TraversedPath', type: 'nvarchar', label: 'Traversed Path', maxLength: 1250 },
  { schema: 'ProcessId', type: 'uniqueidentifier', label: 'Process' },
  { schema: 'StageId', type: 'uniqueidentifier', label: 'Process Stage' },
  { schema: 'SeriesId', type: 'uniqueidentifier', label: 'Series Id', ...readOnly },
  { schema: 'ServiceId', type: 'lookup', label: 'Service', targets: ['service'] },
  { schema: 'SLAId', type: 'lookup', label: 'SLA', targets: ['sla'] },
  { schema: 'SLAInvokedId', type: 'lookup', label: 'Last SLA applied', targets: ['sla'], ...readOnly },
  { schema: 'SenderMailboxId', type: 'lookup', label: "Sender's Mailbox", targets: ['mailbox'], ...readOnly },
  { schema: 'TransactionCurrencyId', type: 'lookup', label: 'Currency', targets: ['transactioncurrency'] },
  { schema: 'ExchangeRate', type: 'decimal', label: 'Exchange Rate', min: 0.000000000001, max: 100000000000, ...readOnly },
  { schema: 'From', type: 'partylist', label: 'From', targets: PARTY_TARGETS },
  { schema: 'To', type: 'partylist', label: 'To', targets: PARTY_TARGETS },
  { schema: 'CC', type: 'partylist', label: 'CC', targets: PARTY_TARGETS },
  { schema: 'BCC', type: 'partylist', label: 'BCC', targets: PARTY_TARGETS },
  { schema: 'Customers', type: 'partylist', label: 'Customers', targets: ['account', 'contact'] },
  { schema: 'Partners', type: 'partylist', label: 'Outsource Vendors', targets: ['account', 'contact'] },
  { schema: 'Organizer', type: 'partylist', label: 'Organizer', targets: ['systemuser'] },
  { schema: 'RequiredAttendees', type: 'partylist', label: 'Required Attendees', targets: PARTY_TARGETS },
  { schema: 'OptionalAttendees', type: 'partylist', label: 'Optional Attendees', targets: PARTY_TARGETS },
  { schema: 'Resources', type: 'partylist', label: 'Resources', targets: ['systemuser'] },
  ...ownershipColumns('activity'),
];

const custom = (schema, type, label, extra = {}) => ({ schema, type, label, custom: true, ...extra });

/** Columns of a standard (non-activity) user-owned table with an Active/Inactive state. */
function standardColumns(idSchema, label) {
  return [
    { schema: idSchema, type: 'primarykey', label, required: 'systemrequired', update: false, description: 'Unique identifier for entity instances' },
    { schema: 'StateCode', type: 'state', label: 'Status', required: 'systemrequired', create: false, states: RECORD_STATES },
    { schema: 'StatusCode', type: 'status', label: 'Status Reason', statuses: RECORD_STATUSES },
    ...ownershipColumns('record'),
  ];
}

/**
 * A table admins fill: user owned, Active/Inactive, its first custom column the primary name;
 * one main form ("<label>", one section) and the views "Active <plural>" (default) and
 * "Inactive <plural>". `ids`: form, active view, inactive view.
 */
function adminTable({ schema, label, pluralLabel, description, entitySetName, ids: [formId, activeId, inactiveId], columns, formColumns, activeView, inactiveView }) {
  const primaryName = columns[0].schema.toLowerCase();
  const order = [primaryName, false];
  const noun = label.replace(/^WhatsApp /, '');
  return {
    schema, label, pluralLabel, description, entitySetName,
    primaryId: `${schema}id`,
    primaryName,
    columns: [...standardColumns(`${schema}Id`, label), ...columns],
    forms: [{
      name: label, id: formId, header: ['ownerid', 'statecode'],
      tabs: [{ name: 'tab_general', label: 'General', sections: [{ name: 'section_general', label: noun.charAt(0).toUpperCase() + noun.slice(1), columns: formColumns }] }],
    }],
    views: [
      { name: `Active ${pluralLabel}`, id: activeId, isDefault: true, columns: activeView, filter: [['statecode', 'eq', '0']], order },
      { name: `Inactive ${pluralLabel}`, id: inactiveId, columns: inactiveView, filter: [['statecode', 'eq', '1']], order },
    ],
  };
}

/** The tables. Form and view layouts name columns by logical name. */
const TABLES = [
  {
    schema: 'wcp_whatsappconversation',
    label: 'WhatsApp conversation',
    pluralLabel: 'WhatsApp conversations',
    description: 'A WhatsApp conversation handled in the communication panel, with its transcript; written by the relay.',
    entitySetName: 'wcp_whatsappconversations',
    isActivity: true,
    primaryId: 'activityid',
    primaryName: 'subject',
    columns: [
      ...ACTIVITY_COLUMNS,
      custom('wcp_ConversationId', 'nvarchar', 'Conversation ID', { maxLength: 100, description: "The relay's conversation id." }),
      custom('wcp_Transcript', 'ntext', 'Transcript', { maxLength: 1048576, description: 'One line per message: time, who, text; media as file names; notes marked internal.' }),
      custom('wcp_CustomerPhone', 'nvarchar', 'Customer WhatsApp number', { maxLength: 32, format: 'phone', description: "The customer's WhatsApp number in E.164." }),
      custom('wcp_ProfileName', 'nvarchar', 'WhatsApp profile name', { maxLength: 200 }),
      custom('wcp_AgentName', 'nvarchar', 'Agent', { maxLength: 200 }),
      custom('wcp_Queue', 'nvarchar', 'Queue', { maxLength: 200 }),
      custom('wcp_Disposition', 'nvarchar', 'Disposition', { maxLength: 100, description: 'The disposition id, e.g. resolved.' }),
      custom('wcp_Summary', 'ntext', 'Summary', { maxLength: 4000 }),
      custom('wcp_MessageCount', 'int', 'Number of messages', { min: 0, max: 2147483647 }),
      custom('wcp_Sentiment', 'nvarchar', 'Final sentiment', { maxLength: 100 }),
    ],
    forms: [{
      name: 'WhatsApp conversation',
      id: '{5d3c5b1e-6f0a-4c43-9a0e-0b6f3f2f4a01}',
      header: ['ownerid', 'statecode', 'actualstart', 'wcp_disposition'],
      // Omnichannel's conversation form: the details first, then the customer's history, then the transcript.
      tabs: [
        { name: 'tab_details', label: 'Details', sections: [
          { name: 'section_conversation', label: 'Conversation', columns: ['subject', 'wcp_customerphone', 'wcp_profilename', 'regardingobjectid', 'wcp_conversationid'] },
          { name: 'section_handling', label: 'Handling', columns: ['wcp_agentname', 'wcp_queue', 'ownerid', 'actualstart', 'actualend', 'wcp_messagecount'] },
          { name: 'section_wrapup', label: 'Wrap-up', columns: ['wcp_disposition', 'wcp_summary', 'wcp_sentiment'] },
        ] },
        { name: 'tab_history', label: 'History', sections: [
          { name: 'section_status', label: 'Status', columns: ['statecode', 'statuscode', 'createdon', 'modifiedon'] },
          { name: 'section_timeline', label: 'Timeline', timeline: true },
        ] },
        { name: 'tab_transcript', label: 'Transcript', sections: [
          { name: 'section_transcript', label: 'Transcript', showLabel: false, columns: ['wcp_transcript'], rowspan: 20 },
        ] },
      ],
    }],
    views: [{
      name: 'Active WhatsApp conversations',
      id: '{5d3c5b1e-6f0a-4c43-9a0e-0b6f3f2f4a11}',
      isDefault: true,
      columns: [['subject', 200], ['wcp_customerphone', 130], ['wcp_profilename', 150], ['regardingobjectid', 150], ['wcp_agentname', 130], ['wcp_queue', 110], ['actualstart', 140], ['statuscode', 100]],
      filter: [['statecode', 'eq', '0']],
      order: ['actualstart', true],
    }, {
      name: 'Closed WhatsApp conversations',
      id: '{5d3c5b1e-6f0a-4c43-9a0e-0b6f3f2f4a21}',
      columns: [['subject', 200], ['wcp_customerphone', 130], ['regardingobjectid', 150], ['wcp_agentname', 130], ['wcp_disposition', 110], ['actualend', 140], ['wcp_messagecount', 90]],
      filter: [['statecode', 'eq', '1']],
      order: ['actualend', true],
    }],
  },
  adminTable({
    schema: 'wcp_quickreply',
    label: 'WhatsApp quick reply',
    pluralLabel: 'WhatsApp quick replies',
    description: 'A canned reply agents insert in the WhatsApp panel; {placeholders} are filled from the conversation.',
    entitySetName: 'wcp_quickreplies',
    ids: ['{5d3c5b1e-6f0a-4c43-9a0e-0b6f3f2f4a02}', '{5d3c5b1e-6f0a-4c43-9a0e-0b6f3f2f4a12}', '{5d3c5b1e-6f0a-4c43-9a0e-0b6f3f2f4a22}'],
    columns: [
      custom('wcp_Title', 'nvarchar', 'Title', { maxLength: 100, required: 'applicationrequired', description: 'Primary column' }),
      custom('wcp_Text', 'ntext', 'Text', { maxLength: 4000, required: 'applicationrequired', description: 'The reply; {customer.name}, {agent.name}, {record.<column>} and the like are filled in when it is used.' }),
      custom('wcp_Language', 'nvarchar', 'Language', { maxLength: 20, description: 'BCP 47 language tag, e.g. en or pt-BR.' }),
    ],
    formColumns: ['wcp_title', 'wcp_language', 'wcp_text', 'ownerid'],
    activeView: [['wcp_title', 200], ['wcp_language', 90], ['wcp_text', 300], ['modifiedon', 140]],
    inactiveView: [['wcp_title', 200], ['wcp_language', 90], ['modifiedon', 140]],
  }),
  adminTable({
    schema: 'wcp_agentscript',
    label: 'WhatsApp agent script',
    pluralLabel: 'WhatsApp agent scripts',
    description: 'Steps an agent follows in a WhatsApp conversation, one step per line, in order.',
    entitySetName: 'wcp_agentscripts',
    ids: ['{5d3c5b1e-6f0a-4c43-9a0e-0b6f3f2f4a03}', '{5d3c5b1e-6f0a-4c43-9a0e-0b6f3f2f4a13}', '{5d3c5b1e-6f0a-4c43-9a0e-0b6f3f2f4a23}'],
    columns: [
      custom('wcp_Name', 'nvarchar', 'Name', { maxLength: 100, required: 'applicationrequired', description: 'Primary column' }),
      custom('wcp_Steps', 'ntext', 'Steps', { maxLength: 100000, description: 'The steps in order, one per line. "Title | text" lets the agent insert the text into the message.' }),
    ],
    formColumns: ['wcp_name', 'wcp_steps', 'ownerid'],
    activeView: [['wcp_name', 250], ['modifiedon', 140], ['ownerid', 150]],
    inactiveView: [['wcp_name', 250], ['modifiedon', 140]],
  }),
];

const logicalName = (column) => column.schema.toLowerCase();

module.exports = { TABLES, logicalName };
