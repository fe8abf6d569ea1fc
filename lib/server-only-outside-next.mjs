// A module resolve hook (node:module register) for code that imports lib/queries outside
// Next.js: `server-only`, a marker Next.js resolves for server code, is not an installed
// package, so it resolves to an empty module. Registered by `scanline warm`
// (ingest/cli/warm-command.ts) and by bench scripts (bench/server-only-off.mjs).
export async function resolve(specifier, context, next) {
  if (specifier === 'server-only') return { url: 'data:text/javascript,', shortCircuit: true };
  return next(specifier, context);
}
