#!/usr/bin/env node
// `npm run package -w pcf`: builds the control, then writes the unmanaged solution admins
// import (out/WhatsAppPanelSolution.zip) in the layout SolutionPackager / `pac solution`
// produce for a code component:
//   [Content_Types].xml, solution.xml, customizations.xml,
//   Controls/wcp_Wcp.WhatsAppPanel/{ControlManifest.xml, bundle.js, strings/*.resx}
// customizations.xml also holds the tables (scripts/solution/tables.cjs): the activity
// wcp_whatsappconversation the relay writes, wcp_quickreply and wcp_agentscript, each with its
// main form and views; solution.xml lists them as root components (type 1) with the control.
// Nothing else: Entra sign-in is the relay's own page (<relay>/auth/entra/popup), so admins
// upload no web resource.
// `--skip-build` packages what out/controls already holds.
const { existsSync, readFileSync, writeFileSync, mkdirSync } = require('node:fs');
const path = require('node:path');
const JSZip = require('jszip');
const { TABLES } = require('./solution/tables.cjs');
const { entitiesXml, xmlEscape } = require('./solution/entity-xml.cjs');

const pcfDir = path.resolve(__dirname, '..');

const SOLUTION = {
  uniqueName: 'WhatsAppCommunicationPanel',
  displayName: 'WhatsApp communication panel',
  description: 'Field control that puts the WhatsApp communication panel on a record form.',
};
const PUBLISHER = {
  uniqueName: 'wcp',
  displayName: 'WhatsApp Communication Panel',
  prefix: 'wcp',
  // Option values of this publisher start at 10000 * this (range 10000-99999).
  optionValuePrefix: 41375,
};
const ZIP_DATE = new Date('2025-01-01T00:00:00Z'); // same input, same zip

/** namespace, constructor, version and resource paths of a built ControlManifest.xml. */
function readManifest(xml) {
  const control = /<control\b([^>]*)>/.exec(xml);
  if (!control) throw new Error('ControlManifest.xml has no <control> element.');
  const attr = (name) => new RegExp(`\\b${name}="([^"]*)"`).exec(control[1])?.[1];
  const code = /<code\b[^>]*\bpath="([^"]+)"/.exec(xml)?.[1];
  const resx = [...xml.matchAll(/<resx\b[^>]*\bpath="([^"]+)"/g)].map((m) => m[1]);
  return { namespace: attr('namespace'), constructor: attr('constructor'), version: attr('version'), code, resx };
}

function contentTypesXml() {
  const types = ['xml', 'js', 'resx', 'css']
    .map((ext) => `  <Default Extension="${ext}" ContentType="application/octet-stream" />`)
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
${types}
</Types>
`;
}

function solutionXml(version, controlName) {
  return `<?xml version="1.0" encoding="utf-8"?>
<ImportExportXml version="9.1.0.643" SolutionPackageVersion="9.1" languagecode="1033" generatedBy="CrmLive" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <SolutionManifest>
    <UniqueName>${SOLUTION.uniqueName}</UniqueName>
    <LocalizedNames>
      <LocalizedName description="${xmlEscape(SOLUTION.displayName)}" languagecode="1033" />
    </LocalizedNames>
    <Descriptions>
      <Description description="${xmlEscape(SOLUTION.description)}" languagecode="1033" />
    </Descriptions>
    <Version>${xmlEscape(version)}</Version>
    <Managed>0</Managed>
    <Publisher>
      <UniqueName>${PUBLISHER.uniqueName}</UniqueName>
      <LocalizedNames>
        <LocalizedName description="${xmlEscape(PUBLISHER.displayName)}" languagecode="1033" />
      </LocalizedNames>
      <Descriptions />
      <EMailAddress xsi:nil="true"></EMailAddress>
      <SupportingWebsiteUrl xsi:nil="true"></SupportingWebsiteUrl>
      <CustomizationPrefix>${PUBLISHER.prefix}</CustomizationPrefix>
      <CustomizationOptionValuePrefix>${PUBLISHER.optionValuePrefix}</CustomizationOptionValuePrefix>
      <Addresses>
        <Address>
          <AddressNumber>1</AddressNumber>
          <AddressTypeCode>1</AddressTypeCode>
        </Address>
        <Address>
          <AddressNumber>2</AddressNumber>
          <AddressTypeCode>1</AddressTypeCode>
        </Address>
      </Addresses>
    </Publisher>
    <RootComponents>
${TABLES.map((table) => `      <RootComponent type="1" schemaName="${table.schema}" behavior="0" />`).join('\n')}
      <RootComponent type="66" schemaName="${controlName}" behavior="0" />
    </RootComponents>
    <MissingDependencies />
  </SolutionManifest>
</ImportExportXml>
`;
}

function customizationsXml(controlName) {
  return `<?xml version="1.0" encoding="utf-8"?>
<ImportExportXml xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" OrganizationVersion="9.1.0.643" OrganizationSchemaType="Standard" CRMServerServiceabilityVersion="9.1.0.643">
  ${entitiesXml(TABLES)}
  <Roles />
  <Workflows />
  <FieldSecurityProfiles />
  <Templates />
  <EntityMaps />
  <EntityRelationships />
  <OrganizationSettings />
  <optionsets />
  <CustomControls>
    <CustomControl>
      <Name>${controlName}</Name>
      <FileName>/Controls/${controlName}/ControlManifest.xml</FileName>
    </CustomControl>
  </CustomControls>
  <EntityDataProviders />
  <Languages>
    <Language>1033</Language>
  </Languages>
</ImportExportXml>
`;
}

/** Builds the solution zip from a built control folder; returns its bytes and what went in. */
async function createSolutionZip({ controlDir, version }) {
  const manifestXml = readFileSync(path.join(controlDir, 'ControlManifest.xml'), 'utf8');
  const manifest = readManifest(manifestXml);
  if (manifest.version !== version) {
    throw new Error(`Control version ${manifest.version} (ControlManifest.Input.xml) differs from pcf/package.json ${version}: make them equal.`);
  }
  const controlName = `${PUBLISHER.prefix}_${manifest.namespace}.${manifest.constructor}`;
  const zip = new JSZip();
  const add = (name, content) => zip.file(name, content, { date: ZIP_DATE, createFolders: false });
  add('[Content_Types].xml', contentTypesXml());
  add('solution.xml', solutionXml(version, controlName));
  add('customizations.xml', customizationsXml(controlName));
  // Solution files carry the manifest without an XML declaration, as exported ones do.
  add(`Controls/${controlName}/ControlManifest.xml`, manifestXml.replace(/^\uFEFF?<\?xml[^>]*\?>\s*/, ''));
  for (const resource of [manifest.code, ...manifest.resx]) {
    const file = path.join(controlDir, resource);
    if (!existsSync(file)) throw new Error(`The manifest names ${resource}, which the build did not produce.`);
    add(`Controls/${controlName}/${resource}`, readFileSync(file));
  }
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
  return { bytes, controlName, files: Object.keys(zip.files) };
}

async function main() {
  const version = JSON.parse(readFileSync(path.join(pcfDir, 'package.json'), 'utf8')).version;
  const outIndex = process.argv.indexOf('--out');
  const outFile = outIndex > 0 ? path.resolve(process.argv[outIndex + 1]) : path.join(pcfDir, 'out', 'WhatsAppPanelSolution.zip');
  const { build, controlOut } = require('./build.cjs');
  if (!process.argv.includes('--skip-build')) build();

  const { bytes, files } = await createSolutionZip({ controlDir: controlOut, version });
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, bytes);
  console.log(`\n${path.relative(process.cwd(), outFile)} (${(bytes.length / 1024).toFixed(1)} KB, solution version ${version}):`);
  for (const name of files) console.log(`  ${name}`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`\npcf package FAILED: ${error.message}`);
    process.exit(1);
  });
}

module.exports = { createSolutionZip, readManifest, solutionXml, customizationsXml, PUBLISHER, SOLUTION };
