// <Entities> of customizations.xml from the table definitions in tables.cjs: each table's
// <EntityInfo> (attributes and table settings), its main form (<FormXml>) and its system views
// (<SavedQueries>), in the element shape of an exported unmanaged solution (see tables.cjs for
// where the shape was copied from).
'use strict';
const { createHash } = require('node:crypto');
const { logicalName } = require('./tables.cjs');

function xmlEscape(text) {
  return String(text).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]);
}

/** A fixed GUID for a name: the same solution every build (ids of tabs, sections, cells, views). */
function guid(seed) {
  const h = createHash('sha1').update(`wcp:${seed}`).digest('hex');
  return `{${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}}`;
}

const label = (text) => `<labels><label description="${xmlEscape(text)}" languagecode="1033" /></labels>`;
const bool = (value) => (value ? 1 : 0);
/** `<Name>value</Name>` lines, one per pair, in order (an export's element order). */
const elements = (indent, pairs) => pairs.map(([name, value]) => `${indent}<${name}>${value}</${name}>`).join('\n');

/** The form control of a column type. */
const CLASS_IDS = {
  nvarchar: '{4273EDBD-AC1D-40d3-9FB2-095C621B552D}',
  ntext: '{E0DECE4B-6FC8-4a8f-A065-082708572369}',
  datetime: '{5B773807-9FB2-42db-97C3-7A91EFF8ADFF}',
  lookup: '{270BD3DB-D9AF-4782-9025-509E298DEC0A}',
  owner: '{270BD3DB-D9AF-4782-9025-509E298DEC0A}',
  int: '{C6D124CA-7EDA-4a60-AEA9-7FB8D318B68F}',
  picklist: '{3EF39988-22BB-4f0b-BBBE-64B5A3748AEE}',
  state: '{3EF39988-22BB-4f0b-BBBE-64B5A3748AEE}',
  status: '{5D68B988-0661-4db2-BC3E-17598AD3BE6C}',
};
const TIMELINE_CLASS_ID = '{06375649-c143-495e-a496-c962e5b4488e}';

function optionSetXml(table, column) {
  const name = `${table.schema}_${logicalName(column)}`;
  const head = `<optionset Name="${name}"><OptionSetType>${column.type}</OptionSetType><IntroducedVersion>1.0</IntroducedVersion><IsCustomizable>1</IsCustomizable><displaynames><displayname description="${xmlEscape(column.label)}" languagecode="1033" /></displaynames>`;
  if (column.type === 'state') {
    const states = column.states
      .map((s) => `<state value="${s.value}" defaultstatus="${s.defaultStatus}" invariantname="${s.invariant}">${label(s.label)}</state>`)
      .join('');
    return `${head}<states>${states}</states></optionset>`;
  }
  if (column.type === 'status') {
    const statuses = column.statuses.map((s) => `<status value="${s.value}" state="${s.state}">${label(s.label)}</status>`).join('');
    return `${head}<statuses>${statuses}</statuses></optionset>`;
  }
  const options = column.type === 'bit' ? [[1, 'Yes'], [0, 'No']] : column.options;
  const optionsXml = options.map(([value, text]) => `<option value="${value}" ExternalValue="" IsHidden="0">${label(text)}</option>`).join('');
  return `<AppDefaultValue>${column.type === 'bit' ? 0 : -1}</AppDefaultValue>${head}<options>${optionsXml}</options></optionset>`;
}

/** What follows the common elements of an <attribute>, by type. */
function typeSpecificXml(table, column) {
  switch (column.type) {
    case 'nvarchar':
      return `<Format>${column.format ?? 'text'}</Format><MaxLength>${column.maxLength}</MaxLength>`;
    case 'ntext':
      return `<Format>text</Format><MaxLength>${column.maxLength}</MaxLength>`;
    case 'int':
      return `<Format></Format><MinValue>${column.min}</MinValue><MaxValue>${column.max}</MaxValue>`;
    case 'decimal':
      return `<MinValue>${column.min}</MinValue><MaxValue>${column.max}</MaxValue><Accuracy>12</Accuracy>`;
    case 'datetime':
      return `<Format>${column.format ?? 'datetime'}</Format><CanChangeDateTimeBehavior>0</CanChangeDateTimeBehavior><Behavior>1</Behavior>`;
    case 'owner':
      // systemuser (8) and team (9), as an export lists them
      return '<LookupStyle>single</LookupStyle><LookupTypes><LookupType id="00000000-0000-0000-0000-000000000000">8</LookupType><LookupType id="00000000-0000-0000-0000-000000000000">9</LookupType></LookupTypes>';
    case 'lookup':
    case 'partylist':
      return `<LookupStyle>${column.type === 'partylist' ? 'multi' : 'single'}</LookupStyle><LookupTypes />`;
    case 'picklist':
    case 'bit':
    case 'state':
    case 'status':
      return optionSetXml(table, column);
    default:
      return '';
  }
}

function attributeXml(table, column) {
  const name = logicalName(column);
  const create = column.create ?? true;
  const update = column.update ?? true;
  const onForm = create || update || ['createdon', 'modifiedon', 'createdby', 'modifiedby'].includes(name);
  let mask = column.type === 'primarykey' ? 'ValidForAdvancedFind|RequiredForGrid' : `ValidForAdvancedFind${onForm ? '|ValidForForm|ValidForGrid' : ''}`;
  if (column.type === 'owner') mask += '|RequiredForForm';
  const ime = ['datetime', 'int', 'bigint', 'decimal', 'lookup', 'owner'].includes(column.type) ? 'disabled' : 'auto';
  const description = column.description ? `<Descriptions><Description description="${xmlEscape(column.description)}" languagecode="1033" /></Descriptions>` : '';
  return `        <attribute PhysicalName="${column.schema}">
          <Type>${column.type}</Type>
          <Name>${name}</Name>
          <LogicalName>${name}</LogicalName>
          <RequiredLevel>${column.required ?? 'none'}</RequiredLevel>
          <DisplayMask>${mask}</DisplayMask>
          <ImeMode>${ime}</ImeMode>
${elements('          ', [
    ['ValidForUpdateApi', bool(update)],
    ['ValidForReadApi', '1'],
    ['ValidForCreateApi', bool(create)],
    ['IsCustomField', bool(column.custom)],
    ['IsAuditEnabled', bool(column.custom)],
    ['IsSecured', '0'],
    ['IntroducedVersion', '1.0'],
    ['IsCustomizable', '1'],
    ['IsRenameable', '1'],
    ['CanModifySearchSettings', '1'],
    ['CanModifyRequirementLevelSettings', bool(column.custom)],
    ['CanModifyAdditionalSettings', '1'],
    ['SourceType', '0'],
    ['IsGlobalFilterEnabled', '0'],
    ['IsSortableEnabled', '0'],
    ['CanModifyGlobalFilterSettings', '1'],
    ['CanModifyIsSortableSettings', '1'],
    ['IsDataSourceSecret', '0'],
    ['AutoNumberFormat', ''],
    ['IsSearchable', bool(column.type === 'nvarchar' && column.custom)],
    ['IsFilterable', bool(column.type !== 'ntext')],
    ['IsRetrievable', '1'],
    ['IsLocalizable', '0'],
  ])}
          ${typeSpecificXml(table, column)}
          <displaynames><displayname description="${xmlEscape(column.label)}" languagecode="1033" /></displaynames>
          ${description}
        </attribute>`;
}

function entityInfoXml(table) {
  const attributes = table.columns.map((column) => attributeXml(table, column)).join('\n');
  return `    <EntityInfo>
      <entity Name="${table.schema}">
        <LocalizedNames><LocalizedName description="${xmlEscape(table.label)}" languagecode="1033" /></LocalizedNames>
        <LocalizedCollectionNames><LocalizedCollectionName description="${xmlEscape(table.pluralLabel)}" languagecode="1033" /></LocalizedCollectionNames>
        <Descriptions><Description description="${xmlEscape(table.description)}" languagecode="1033" /></Descriptions>
        <attributes>
${attributes}
        </attributes>
${elements('        ', [
    ['EntitySetName', table.entitySetName],
    ['IsDuplicateCheckSupported', '0'],
    ['IsBusinessProcessEnabled', '0'],
    ['IsRequiredOffline', '0'],
    ['IsInteractionCentricEnabled', bool(table.isActivity)],
    ['IsCollaboration', '0'],
    ['AutoRouteToOwnerQueue', '0'],
    ['IsConnectionsEnabled', bool(table.isActivity)],
    ['IsDocumentManagementEnabled', '0'],
    ['AutoCreateAccessTeams', '0'],
    ['IsOneNoteIntegrationEnabled', '0'],
    ['IsKnowledgeManagementEnabled', '0'],
    ['IsSLAEnabled', '0'],
    ['IsDocumentRecommendationsEnabled', '0'],
    ['IsBPFEntity', '0'],
    ['OwnershipTypeMask', 'UserOwned'],
    ['IsAuditEnabled', '1'],
    ['IsRetrieveAuditEnabled', '0'],
    ['IsRetrieveMultipleAuditEnabled', '0'],
    ['IsActivity', bool(table.isActivity)],
    ['ActivityTypeMask', table.isActivity ? 1 : ''],
    ['IsActivityParty', '0'],
    ['IsReplicated', '0'],
    ['IsReplicationUserFiltered', '0'],
    ['IsMailMergeEnabled', '0'],
    ['IsVisibleInMobile', '0'],
    ['IsVisibleInMobileClient', '1'],
    ['IsReadOnlyInMobileClient', '0'],
    ['IsOfflineInMobileClient', '0'],
    ['DaysSinceRecordLastModified', '0'],
    ['MobileOfflineFilters', ''],
    ['IsMapiGridEnabled', '1'],
    ['IsReadingPaneEnabled', '1'],
    ['IsQuickCreateEnabled', '0'],
    ['SyncToExternalSearchIndex', '0'],
    ['IntroducedVersion', '1.0'],
    ['IsCustomizable', '1'],
    ['IsRenameable', '1'],
    ['IsMappable', '1'],
    ['CanModifyAuditSettings', '1'],
    ['CanModifyMobileVisibility', '1'],
    ['CanModifyMobileClientVisibility', '1'],
    ['CanModifyMobileClientReadOnly', '1'],
    ['CanModifyMobileClientOffline', '1'],
    ['CanModifyConnectionSettings', '1'],
    ['CanModifyDuplicateDetectionSettings', '1'],
    ['CanModifyMailMergeSettings', '1'],
    ['CanModifyQueueSettings', '1'],
    ['CanCreateAttributes', '1'],
    ['CanCreateForms', '1'],
    ['CanCreateCharts', '1'],
    ['CanCreateViews', '1'],
    ['CanModifyAdditionalSettings', '1'],
    ['CanEnableSyncToExternalSearchIndex', '1'],
    ['EnforceStateTransitions', '0'],
    ['CanChangeHierarchicalRelationship', '1'],
    ['EntityHelpUrlEnabled', '0'],
    ['ChangeTrackingEnabled', '0'],
    ['CanChangeTrackingBeEnabled', '1'],
    ['IsEnabledForExternalChannels', '0'],
    ['IsMSTeamsIntegrationEnabled', '0'],
    ['IsSolutionAware', '0'],
  ])}
      </entity>
    </EntityInfo>`;
}

function columnOf(table, name) {
  const column = table.columns.find((c) => logicalName(c) === name);
  if (!column) throw new Error(`${table.schema}: the form or view names ${name}, which is not a column of the table.`);
  return column;
}

function cellXml(table, name, idPrefix = '', rowspan) {
  const column = columnOf(table, name);
  const classid = CLASS_IDS[column.type];
  if (!classid) throw new Error(`${table.schema}.${name}: no form control for type ${column.type}.`);
  const span = rowspan ? ` rowspan="${rowspan}"` : '';
  return `<cell id="${guid(`${table.schema}/cell/${idPrefix}${name}`)}" showlabel="true" locklevel="0"${span}>${label(column.label)}<control id="${idPrefix}${name}" classid="${classid}" datafieldname="${name}" disabled="false" /></cell>`;
}

function sectionXml(table, section) {
  let rows;
  if (section.timeline) {
    rows = `<row><cell id="${guid(`${table.schema}/cell/timeline`)}" showlabel="false" rowspan="20" locklevel="0">${label('Timeline')}<control id="notescontrol" classid="${TIMELINE_CLASS_ID}" /></cell></row>`;
  } else {
    rows = section.columns.map((name) => `<row>${cellXml(table, name, '', section.rowspan)}</row>`).join('');
  }
  const show = section.showLabel === false ? 'false' : 'true';
  return `<section name="${section.name}" showlabel="${show}" showbar="false" locklevel="0" id="${guid(`${table.schema}/section/${section.name}`)}" IsUserDefined="0" layout="varwidth" columns="1" labelwidth="115" celllabelalignment="Left" celllabelposition="Left">${label(section.label)}<rows>${rows}</rows></section>`;
}

function formXml(table) {
  const forms = table.forms.map((form) => {
    const tabs = form.tabs.map((tab, index) => `<tab name="${tab.name}" id="${guid(`${table.schema}/tab/${tab.name}`)}" IsUserDefined="0" locklevel="0" showlabel="true" expanded="${index === 0}">${label(tab.label)}<columns><column width="100%"><sections>${tab.sections.map((s) => sectionXml(table, s)).join('')}</sections></column></columns></tab>`).join('');
    const header = form.header.map((name) => cellXml(table, name, 'header_')).join('');
    return `<systemform>
          <formid>${form.id}</formid>
          <IntroducedVersion>1.0</IntroducedVersion>
          <FormPresentation>1</FormPresentation>
          <FormActivationState>1</FormActivationState>
          <form headerdensity="HighWithControls"><tabs>${tabs}</tabs><header id="${guid(`${table.schema}/header`)}" celllabelposition="Top" columns="1111" labelwidth="115" celllabelalignment="Left"><rows><row>${header}</row></rows></header><DisplayConditions Order="0" FallbackForm="true"><Everyone /></DisplayConditions></form>
          <IsCustomizable>1</IsCustomizable>
          <CanBeDeleted>0</CanBeDeleted>
          <LocalizedNames><LocalizedName description="${xmlEscape(form.name)}" languagecode="1033" /></LocalizedNames>
          <Descriptions><Description description="${xmlEscape(`Main form of ${table.label}.`)}" languagecode="1033" /></Descriptions>
        </systemform>`;
  });
  return `    <FormXml>
      <forms type="main">
        ${forms.join('\n        ')}
      </forms>
    </FormXml>`;
}

function savedQueryXml(table, { id, name, queryType, isDefault, columns, filter, order, quickFind }) {
  const cells = columns.map(([col, width]) => (columnOf(table, col), `<cell name="${col}" width="${width}" />`)).join('');
  const attributes = columns.map(([col]) => `<attribute name="${col}" />`).join('');
  const conditions = filter.map(([attr, op, value]) => `<condition attribute="${attr}" operator="${op}" value="${value}" />`).join('');
  const quickFindFilter = quickFind
    ? `<filter type="or" isquickfindfields="1">${quickFind.map((attr) => `<condition attribute="${attr}" operator="like" value="{0}" />`).join('')}</filter>`
    : '';
  const orderXml = order ? `<order attribute="${order[0]}" descending="${order[1]}" />` : '';
  return `<savedquery>
          <IsCustomizable>1</IsCustomizable>
          <CanBeDeleted>${bool(queryType === 0 && !isDefault)}</CanBeDeleted>
          <isquickfindquery>${bool(queryType === 4)}</isquickfindquery>
          <isprivate>0</isprivate>
          <isdefault>${bool(isDefault)}</isdefault>
          <savedqueryid>${id}</savedqueryid>
          <layoutxml><grid name="resultset" jump="${table.primaryName}" select="1" icon="1" preview="1"><row name="result" id="${table.primaryId}">${cells}</row></grid></layoutxml>
          <querytype>${queryType}</querytype>
          <fetchxml><fetch version="1.0" mapping="logical"><entity name="${table.schema}">${attributes}<attribute name="${table.primaryId}" />${orderXml}<filter type="and">${conditions}${quickFindFilter}</filter></entity></fetch></fetchxml>
          <IntroducedVersion>1.0</IntroducedVersion>
          <LocalizedNames><LocalizedName description="${xmlEscape(name)}" languagecode="1033" /></LocalizedNames>
        </savedquery>`;
}

/** The named public views, plus the system views a table has: quick find, lookup, advanced find, associated. */
function savedQueriesXml(table) {
  const main = table.views[0];
  const base = { columns: main.columns, filter: main.filter, order: main.order };
  const searchable = table.columns.filter((c) => c.type === 'nvarchar' && (c.custom || logicalName(c) === table.primaryName)).map(logicalName);
  const queries = [
    ...table.views.map((view) => ({ ...view, queryType: 0 })),
    { ...base, id: guid(`${table.schema}/view/quickfind`), name: `Quick Find ${table.pluralLabel}`, queryType: 4, isDefault: true, quickFind: searchable },
    { ...base, id: guid(`${table.schema}/view/lookup`), name: `${table.label} Lookup View`, queryType: 64, isDefault: true, columns: [[table.primaryName, 300]] },
    { ...base, id: guid(`${table.schema}/view/advancedfind`), name: `${table.label} Advanced Find View`, queryType: 1, isDefault: true, filter: [] },
    { ...base, id: guid(`${table.schema}/view/associated`), name: `${table.label} Associated View`, queryType: 2, isDefault: true },
  ];
  return `    <SavedQueries>
      <savedqueries>
        ${queries.map((q) => savedQueryXml(table, q)).join('\n        ')}
      </savedqueries>
    </SavedQueries>`;
}

function entityXml(table) {
  return `  <Entity>
    <Name LocalizedName="${xmlEscape(table.label)}" OriginalName="${xmlEscape(table.label)}">${table.schema}</Name>
${entityInfoXml(table)}
${formXml(table)}
${savedQueriesXml(table)}
    <RibbonDiffXml><CustomActions /><Templates><RibbonTemplates Id="Mscrm.Templates" /></Templates><CommandDefinitions /><RuleDefinitions><TabDisplayRules /><DisplayRules /><EnableRules /></RuleDefinitions><LocLabels /></RibbonDiffXml>
  </Entity>`;
}

/** <Entities>...</Entities> for customizations.xml. */
function entitiesXml(tables) {
  return `<Entities>\n${tables.map(entityXml).join('\n')}\n  </Entities>`;
}

module.exports = { entitiesXml, xmlEscape, guid };
