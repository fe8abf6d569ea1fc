/**
 * Work the server does for later requests (making the host rankings' month lists) runs
 * only while no request is being answered: each of its queries first waits until no
 * request's query has started for IDLE_MS. Without this, a burst of distinct host
 * lists queued seconds of list-making whose queries took turns with the next
 * requests' (a year at /16: host lists' median went from ~25 ms to 242 ms).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const IDLE_MS = 150;
const context = new AsyncLocalStorage<true>();
let lastRequestQuery = 0;

/** Runs `fn` as background work: its queries (rows()) wait for idle moments. */
export function inBackground<T>(fn: () => Promise<T>): Promise<T> {
  return context.run(true, fn);
}

/** Called before each query: a request's query is noted, a background one waits its turn. */
export async function beforeQuery(): Promise<void> {
  if (context.getStore() === undefined) {
    lastRequestQuery = performance.now();
    return;
  }
  for (;;) {
    const quiet = performance.now() - lastRequestQuery;
    if (quiet >= IDLE_MS) return;
    await new Promise<void>((resolve) => setTimeout(resolve, IDLE_MS - quiet));
  }
}
