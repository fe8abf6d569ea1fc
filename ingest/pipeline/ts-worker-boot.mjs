// Entry of Scanline's worker threads. Under tsx (`npm run scanline`, `node --import tsx`,
// vitest), TypeScript hooks registered in the main thread do not reach worker threads in
// Node 20, so the thread registers tsx itself, then loads the TypeScript module named in
// workerData.entry (a file: URL).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
