// WhatsAppPanel/generated/ManifestTypes.d.ts (IInputs/IOutputs, which index.ts and map-context.ts
// type against) is committed; it must be what pcf-scripts' generator makes from
// ControlManifest.Input.xml today.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const { generatedManifestTypes, generatedFile } = require('../scripts/manifest-types.cjs') as { generatedManifestTypes(): string; generatedFile: string };

test('generated/ManifestTypes.d.ts matches ControlManifest.Input.xml', () => {
  const committed = readFileSync(generatedFile, 'utf8');
  assert.ok(
    committed === generatedManifestTypes(),
    'pcf/WhatsAppPanel/generated/ManifestTypes.d.ts is out of date with ControlManifest.Input.xml: run `npm run manifest-types -w pcf` and commit the result.',
  );
});
