// Config for `npm run analyze -w widget` (@custom-elements-manifest/analyzer, Lit mode): writes
// custom-elements.json, each element's attributes, properties, events, CSS parts and custom
// properties, read from the classes and their JSDoc (@fires, @csspart, @cssprop, @slot).
// scripts/custom-elements.test.mjs (part of `npm test -w widget`) fails when the committed file
// differs from a fresh run.

/**
 * `@fires {SendMessageEvent} wcp-send - ...` lines checked against the code. Each event class
 * names its event in a static `eventName` (or `type`); the documented class must name the
 * documented event, and an event the element dispatches itself must be documented. (The analyzer
 * infers `this.dispatchEvent(new SendMessageEvent(body))` as an event called `body`; those
 * inferred entries are checked here and then dropped, the documented ones stay.)
 */
function firesMatchEventClasses() {
  return {
    name: 'wcp-fires-match-event-classes',
    packageLinkPhase({ customElementsManifest }) {
      const declarations = customElementsManifest.modules.flatMap((module) => module.declarations ?? []);
      const eventNames = new Map();
      for (const declaration of declarations) {
        const name = declaration.members?.find((m) => m.static && (m.name === 'eventName' || m.name === 'type') && /^'[^']+'$/.test(m.default ?? ''));
        if (name) eventNames.set(declaration.name, name.default.slice(1, -1));
      }
      const problems = [];
      for (const element of declarations.filter((d) => d.customElement)) {
        const documented = (element.events ?? []).filter((e) => e.description !== undefined);
        for (const event of documented) {
          const eventClass = event.type?.text;
          if (!eventClass) problems.push(`<${element.tagName}> @fires ${event.name}: give the event class, @fires {SomeEvent} ${event.name} - ...`);
          else if (eventNames.get(eventClass) !== event.name) problems.push(`<${element.tagName}> @fires {${eventClass}} ${event.name}: ${eventClass} is the event ${eventNames.get(eventClass) ?? '(no event class by that name)'}`);
        }
        for (const event of element.events ?? []) {
          if (event.description !== undefined) continue;
          const name = eventNames.get(event.type?.text) ?? event.name;
          if (!documented.some((e) => e.name === name)) problems.push(`<${element.tagName}> dispatches ${name} (${event.type?.text ?? 'untyped'}) but has no @fires line for it`);
        }
        element.events = documented;
      }
      if (problems.length) {
        // Printed and exit 1 rather than thrown: the analyzer wraps a plugin's error in a stack trace.
        console.error(`custom-elements-manifest.config.mjs: the @fires lines do not match the code:\n  ${problems.join('\n  ')}`);
        process.exit(1);
      }
    },
  };
}

/**
 * The manifest describes what a host can use: private and protected members are left out.
 * Modules are sorted by path: the analyzer lists them in the order its file search finishes,
 * which differs from run to run.
 */
function publicAndStable() {
  return {
    name: 'wcp-public-and-stable',
    packageLinkPhase({ customElementsManifest }) {
      customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (declaration.members) declaration.members = declaration.members.filter((m) => m.privacy !== 'private' && m.privacy !== 'protected');
        }
      }
    },
  };
}

export default {
  globs: ['src/**/*.ts'],
  // Tests, their fixtures and the demo page are not the widget; stylesheets are only CSS text
  // (their custom properties and parts are documented on the elements); generated translation
  // tables are data.
  exclude: ['src/**/*.test.ts', 'src/test/**', 'src/**/test-fixtures.ts', 'src/demo/**', 'src/**/*.styles.ts', 'src/generated/**'],
  outdir: '.',
  litelement: true,
  // package.json's "customElements" is written by hand: the analyzer would point it at any --outdir
  // (the drift test's temporary one).
  packagejson: false,
  plugins: [firesMatchEventClasses(), publicAndStable()],
};
