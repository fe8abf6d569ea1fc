// `node --import ./bench/server-only-off.mjs --import tsx SCRIPT`: lets a bench script
// import lib/queries outside Next.js, where `server-only` (a marker Next.js resolves for
// server code) is not an installed package. It resolves to an empty module.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier === 'server-only') return { url: 'data:text/javascript,', shortCircuit: true };
  return next(specifier, context);
}`)}`,
);
