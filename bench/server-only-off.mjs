// `node --import ./bench/server-only-off.mjs --import tsx SCRIPT`: lets a bench script
// import lib/queries outside Next.js (see lib/server-only-outside-next.mjs).
import { register } from 'node:module';

register('../lib/server-only-outside-next.mjs', import.meta.url);
