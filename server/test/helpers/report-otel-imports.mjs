// `node --import` this to have the process print a line on stderr for every OpenTelemetry
// module it resolves: proof, from outside, of whether tracing code was loaded at all.
import { register } from 'node:module';

const hook = `export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (/\\/node_modules\\/(@opentelemetry|@fastify\\/otel)\\//.test(resolved.url)) process.stderr.write('otel-module-loaded ' + resolved.url + '\\n');
  return resolved;
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
