#!/usr/bin/env node
// WhatsAppPanel/generated/ManifestTypes.d.ts (IInputs, IOutputs) from ControlManifest.Input.xml,
// made by pcf-scripts' own generator: the task its build runs before compiling. The file is
// committed so `npm run typecheck` needs no build first; test/manifest-types.test.ts regenerates
// it and fails when the committed copy differs. Run `npm run manifest-types -w pcf` after editing
// the manifest.
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ControlContext } = require('pcf-scripts/controlContext');
const { GenerateManifestTypesTask } = require('pcf-scripts/tasks/manifestTypesTask');

const controlDir = path.resolve(__dirname, '..', 'WhatsAppPanel');
const generatedFile = path.join(controlDir, 'generated', 'ManifestTypes.d.ts');

/** Writes generated/ManifestTypes.d.ts under `outDir` (the control folder unless given). */
function writeManifestTypes(outDir = controlDir) {
  const diag = {
    pushA(message, args) {
      throw new Error(`ControlManifest.Input.xml: ${message?.key ?? message} ${args?.join(' ') ?? ''}`);
    },
  };
  const control = new ControlContext(diag, controlDir);
  const context = Object.create(control, { getControlPath: { value: () => outDir } });
  new GenerateManifestTypesTask().generateManifestTypes(context);
  return path.join(outDir, 'generated', 'ManifestTypes.d.ts');
}

/** The file's text as the generator makes it now, without touching the committed copy. */
function generatedManifestTypes() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wcp-manifest-types-'));
  try {
    return readFileSync(writeManifestTypes(dir), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) console.log(`wrote ${path.relative(process.cwd(), writeManifestTypes())}`);

module.exports = { writeManifestTypes, generatedManifestTypes, generatedFile };
