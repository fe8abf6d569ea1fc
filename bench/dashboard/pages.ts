/**
 * Page loads in Debian's Chromium (playwright-core, headless): each view opened `runs`
 * times, each in a fresh browser context (empty cache: a first visit), with
 * - first paint and first contentful paint (Paint Timing), the largest contentful paint
 *   (LCP, buffered PerformanceObserver), time to first byte and DOMContentLoaded
 *   (Navigation Timing), all from the navigation start;
 * - "complete": when no loading placeholder is left and every chart is drawn (an init
 *   script watches the DOM), i.e. when the analyst can read the view;
 * - the JavaScript transferred: every script response's body, gzip-compressed (level 6),
 *   summed per view.
 */
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { median } from './stats';

export interface PageRun {
  firstPaint: number;
  fcp: number;
  lcp: number;
  ttfb: number;
  domContentLoaded: number;
  complete: number;
  scripts: number;
  jsRawBytes: number;
  jsGzipBytes: number;
  errors: string[];
}

export interface PageResult {
  name: string;
  path: string;
  runs: PageRun[];
  /** Medians over the runs. */
  firstPaint: number;
  fcp: number;
  lcp: number;
  ttfb: number;
  complete: number;
  jsGzipBytes: number;
  jsRawBytes: number;
  scripts: number;
  errors: string[];
}

/** Records when the view last became complete (no loading state, every chart drawn). */
const WATCH_SCRIPT = `
(() => {
  const w = window;
  w.__scanlineLcp = 0;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__scanlineLcp = Math.max(w.__scanlineLcp, e.startTime);
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  } catch {}
  const check = () => {
    const main = document.querySelector('main');
    if (!main) return;
    const busy = document.querySelector('[aria-busy="true"]');
    const charts = document.querySelectorAll('.echart');
    const drawn = document.querySelectorAll('.echart[data-ready]');
    if (!busy && charts.length === drawn.length) w.__scanlineComplete = performance.now();
    else w.__scanlineComplete = undefined;
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
})();
`;

const MEASURE_SCRIPT = `
(() => {
  const paint = (name) => {
    const e = performance.getEntriesByType('paint').find((x) => x.name === name);
    return e ? e.startTime : NaN;
  };
  const nav = performance.getEntriesByType('navigation')[0];
  return {
    firstPaint: paint('first-paint'),
    fcp: paint('first-contentful-paint'),
    lcp: window.__scanlineLcp || NaN,
    ttfb: nav ? nav.responseStart : NaN,
    domContentLoaded: nav ? nav.domContentLoadedEventEnd : NaN,
    complete: window.__scanlineComplete ?? NaN,
  };
})()
`;

async function oneRun(browser: Browser, url: string, timeoutMs: number): Promise<PageRun> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page: Page = await context.newPage();
  await page.addInitScript(WATCH_SCRIPT);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Once per URL: Chromium can report a script's response more than once.
  const bodies = new Map<string, Promise<Buffer | null>>();
  page.on('response', (res) => {
    if (res.request().resourceType() === 'script' && !bodies.has(res.url()))
      bodies.set(
        res.url(),
        res.body().catch(() => null),
      );
  });
  try {
    await page.goto(url, { waitUntil: 'networkidle', timeout: timeoutMs });
    // networkidle: no request for 500 ms; the complete mark may need one more frame.
    await page
      .waitForFunction('window.__scanlineComplete !== undefined', null, { timeout: timeoutMs })
      .catch(() => errors.push('never complete'));
    // A string, not a function: tsx's name helpers do not exist in the page.
    const m = (await page.evaluate(MEASURE_SCRIPT)) as Omit<
      PageRun,
      'scripts' | 'jsRawBytes' | 'jsGzipBytes' | 'errors'
    >;
    const js = (await Promise.all(bodies.values())).filter((b): b is Buffer => b !== null);
    return {
      ...m,
      scripts: js.length,
      jsRawBytes: js.reduce((a, b) => a + b.length, 0),
      jsGzipBytes: js.reduce((a, b) => a + gzipSync(b, { level: 6 }).length, 0),
      errors,
    };
  } finally {
    await context.close();
  }
}

export async function measurePages(
  browser: Browser,
  base: string,
  views: { name: string; path: string }[],
  runs: number,
  log: (line: string) => void,
  timeoutMs = 120_000,
): Promise<PageResult[]> {
  const out: PageResult[] = [];
  for (const v of views) {
    const list: PageRun[] = [];
    for (let i = 0; i < runs; i++) list.push(await oneRun(browser, `${base}${v.path}`, timeoutMs));
    const med = (k: keyof Omit<PageRun, 'errors'>) => median(list.map((r) => r[k]));
    const r: PageResult = {
      name: v.name,
      path: v.path,
      runs: list,
      firstPaint: med('firstPaint'),
      fcp: med('fcp'),
      lcp: med('lcp'),
      ttfb: med('ttfb'),
      complete: med('complete'),
      jsGzipBytes: med('jsGzipBytes'),
      jsRawBytes: med('jsRawBytes'),
      scripts: med('scripts'),
      errors: [...new Set(list.flatMap((x) => x.errors))],
    };
    log(
      `page ${v.name}: FP ${r.firstPaint.toFixed(0)} ms, FCP ${r.fcp.toFixed(0)} ms, LCP ${r.lcp.toFixed(0)} ms, complete ${r.complete.toFixed(0)} ms, JS ${r.jsGzipBytes} bytes gz${r.errors.length ? `, errors: ${r.errors.join('; ')}` : ''}`,
    );
    out.push(r);
  }
  return out;
}
