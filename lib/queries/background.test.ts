/** Background work's queries wait until requests have been quiet for a moment. */
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { beforeQuery, inBackground } from './background';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

test('a background query waits until no request query has started for 150 ms', async () => {
  await beforeQuery(); // a request's query at t = 0
  let ran = false;
  const job = inBackground(async () => {
    await beforeQuery();
    ran = true;
  });
  await vi.advanceTimersByTimeAsync(100);
  expect(ran).toBe(false);
  await beforeQuery(); // another request's query at t = 100 puts it off again
  await vi.advanceTimersByTimeAsync(120);
  expect(ran).toBe(false);
  await vi.advanceTimersByTimeAsync(40);
  expect(ran).toBe(true);
  await job;
});

test("a request's query goes at once, right after another request's", async () => {
  await beforeQuery();
  let ran = false;
  const q = beforeQuery().then(() => {
    ran = true;
  });
  await vi.advanceTimersByTimeAsync(0);
  expect(ran).toBe(true);
  await q;
});
