#!/usr/bin/env node
// `npm start -w pcf`: pcf-start's test harness, offline. pcf-start's index.html loads React
// 16.14 from a CDN and shows a blank page without it; pcf-start ships the same React and
// ReactDOM 16.14 as lib/react_16_14_0.js (globals Reactv16/ReactDOMv16), so this serves its
// harness with that file instead, plus the built control (run `npm run build -w pcf` first).
// Usage: node scripts/harness.cjs [--port 8181]
const http = require('node:http');
const { URL } = require('node:url');
const { existsSync, readFileSync, statSync } = require('node:fs');
const path = require('node:path');

const pcfDir = path.resolve(__dirname, '..');
const harnessDir = path.dirname(require.resolve('pcf-start/package.json'));
const controlDir = path.join(pcfDir, 'out', 'controls', 'WhatsAppPanel');
const portIndex = process.argv.indexOf('--port');
const port = portIndex > 0 ? Number(process.argv[portIndex + 1]) : 8181;

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.xml': 'text/xml', '.resx': 'text/xml', '.css': 'text/css', '.json': 'application/json', '.map': 'application/json' };

/** pcf-start's index.html with the CDN scripts replaced by its own bundled React 16.14. */
function offlineIndex() {
  const html = readFileSync(path.join(harnessDir, 'index.html'), 'utf8');
  const cdnScripts = /<script src="https:\/\/unpkg\.com\/react@16\.14\.0\/[^"]+"><\/script><script src="https:\/\/unpkg\.com\/react-dom@16\.14\.0\/[^"]+"><\/script>/;
  if (!cdnScripts.test(html)) throw new Error(`pcf-start's index.html no longer loads React from unpkg as expected; update scripts/harness.cjs.`);
  return html.replace(cdnScripts, '<script src="lib/react_16_14_0.js"></script><script>window.React = window.Reactv16; window.ReactDOM = window.ReactDOMv16;</script>');
}

/** Like pcf-start: its own files first, then the built control. */
function resolveFile(urlPath) {
  const relative = path.normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
  for (const root of [harnessDir, controlDir]) {
    const file = path.join(root, relative);
    if (file.startsWith(root) && existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}

if (!existsSync(path.join(controlDir, 'bundle.js'))) {
  console.error('No built control in out/controls/WhatsAppPanel: run `npm run build -w pcf` first.');
  process.exit(1);
}
const index = offlineIndex();

http
  .createServer((request, response) => {
    const urlPath = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (urlPath === '/' || urlPath === '/index.html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(index);
      return;
    }
    const file = resolveFile(urlPath);
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  })
  .listen(port, '127.0.0.1', () => console.log(`PCF harness (offline React 16.14) on http://127.0.0.1:${port}/`));
