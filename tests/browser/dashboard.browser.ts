// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright Locator.innerText() calls, not DOM nodes
/**
 * The dashboard in real headless Chromium against `next start` on the seeded fixture:
 * every view renders the right numbers, deep links round-trip, exports decode, the map
 * colours the right countries, and the NZ backscatter story can be followed to the hosts.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { daysOf } from '@/lib/api/period';
import { formatInt } from '@/lib/charts/format';
import { NO_DATA } from '@/lib/charts/palette';
import { choroplethScale } from '@/lib/charts/world-map';
import { fixtureRecords, Q2, Q3 } from '@/lib/queries/testing/fixture';
import { refCountries, refPorts, select } from '@/lib/queries/testing/reference';
import { launchChromium } from './browser';

const base = inject('baseUrl');
const records = fixtureRecords();
const Q3_QS = `from=${Q3.from}&to=${Q3.to}`;

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function open(path: string): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
  return page;
}

async function cells(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).allInnerTexts();
}

function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('overview', () => {
  test('redirects to the last complete quarter and ranks ports and countries with moves', async () => {
    const page = await open('/');
    expect(new URL(page.url()).search).toBe(`?${Q3_QS}`);
    const ports = refPorts(records, { period: Q3 });
    const prevPorts = refPorts(records, { period: Q2 }).map((r) => r.key);
    const rows = page.locator('[data-testid=top-ports] tbody tr');
    await expect.poll(() => rows.count()).toBe(Math.min(10, ports.length));
    const keys = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')));
    expect(keys).toEqual(ports.slice(0, 10).map((p) => p.key));
    expect(keys.slice(0, 5)).toEqual(['445/tcp', '23/tcp', '1433/tcp', '22/tcp', '80/tcp']);
    expect(await cells(page, '[data-testid=top-ports] [data-col=packets]')).toEqual(
      ports.slice(0, 10).map((p) => formatInt(p.packets)),
    );
    expect(await cells(page, '[data-testid=top-ports] [data-col=sources]')).toEqual(
      ports.slice(0, 10).map((p) => formatInt(p.sources)),
    );
    expect(
      (await cells(page, '[data-testid=top-ports] [data-col=previous-rank]')).slice(0, 5),
    ).toEqual(['2', '1', '3', '5', '4']);
    expect(prevPorts.indexOf('22/tcp') + 1).toBe(5);

    const countries = await page
      .locator('[data-testid=top-countries] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')));
    expect(countries.slice(0, 5)).toEqual(['US', 'RU', 'CN', 'NL', 'DE']);
    expect(countries).toEqual(
      refCountries(records, { period: Q3 })
        .slice(0, 10)
        .map((c) => c.key),
    );
    const germany = page.locator('[data-testid=top-countries] tr[data-key=DE]');
    await expect.poll(() => germany.locator('[data-col=previous-rank]').innerText()).toBe('9');
    expect(await germany.locator('.move').innerText()).toContain('4');

    const total = select(records, { period: Q3 }).reduce((a, r) => a + r.packets, 0);
    expect(
      await page.locator('[data-testid=kpi-packets] .kpi-value').getAttribute('data-value'),
    ).toBe(String(total));
    await page.locator('#chart-total canvas').first().waitFor();
    await page.close();
  });
});

describe('deep links', () => {
  test('every piece of port-trends state survives a copied link', async () => {
    const page = await open(`/ports?${Q3_QS}&zoom=2020-08-26..2020-09-02`);
    const card = page.locator('#chart-port-trends');
    await card.getByRole('button', { name: 'Sources' }).click();
    await card.getByRole('button', { name: 'Log' }).click();
    await page.getByLabel('Add a port (PORT/PROTO)').fill('3389/tcp');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('ports')).toContain('3389/tcp');
    const url = new URL(page.url());
    expect(url.searchParams.get('metric')).toBe('sources');
    expect(url.searchParams.get('scale')).toBe('log');
    expect(url.searchParams.get('zoom')).toBe('2020-08-26..2020-09-02');

    await page.getByTestId('copy-link').click();
    const copied = await page.getByTestId('copied-url').inputValue();
    expect(copied).toBe(page.url());
    const chips = await page
      .locator('[data-testid=port-chips] [data-port]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-port')));
    expect(chips).toEqual(['445/tcp', '23/tcp', '1433/tcp', '22/tcp', '80/tcp', '3389/tcp']);
    const csvA = await downloadText(page, card.locator('[data-export=csv]'));

    const again = await open(new URL(copied).pathname + new URL(copied).search);
    const card2 = again.locator('#chart-port-trends');
    expect(
      await again
        .locator('[data-testid=port-chips] [data-port]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-port'))),
    ).toEqual(chips);
    expect(await card2.getByRole('button', { name: 'Sources' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(await card2.getByRole('button', { name: 'Log' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    const csvB = await downloadText(again, card2.locator('[data-export=csv]'));
    expect(csvB).toBe(csvA);
    // exactly the plotted (zoomed) days and ports
    const lines = csvA.trim().split('\n');
    expect(lines[0]).toBe('day_utc,445/tcp,23/tcp,1433/tcp,22/tcp,80/tcp,3389/tcp');
    expect(lines).toHaveLength(1 + 8);
    await page.close();
    await again.close();
  });
});

test('port trends per sensor against the previous period: the CSV is what the fixture says', async () => {
  const page = await open(`/ports?${Q3_QS}&ports=445/tcp,23/tcp`);
  const card = page.locator('#chart-port-trends');
  await card.getByRole('button', { name: 'Per sensor' }).click();
  await card.getByRole('button', { name: 'vs previous' }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('compare')).toBe('previous');
  expect(new URL(page.url()).searchParams.get('per')).toBe('sensor');
  await expect
    .poll(async () => (await downloadText(page, card.locator('[data-export=csv]'))).split('\n')[0])
    .toBe('day_utc,445/tcp,23/tcp,445/tcp (previous),23/tcp (previous)');
  const csv = (await downloadText(page, card.locator('[data-export=csv]'))).trim().split('\n');
  const q3 = daysOf(Q3);
  const q2 = daysOf(Q2);
  const perSensor = (day: string, port: number) => {
    const on = records.filter((r) => r.day === day);
    const sensors = new Set(on.map((r) => r.sensor)).size;
    const packets = on
      .filter((r) => r.proto === 'tcp' && r.port === port)
      .reduce((a, r) => a + r.packets, 0);
    return sensors ? Math.round((packets / sensors) * 100) / 100 : 0;
  };
  q3.forEach((day, i) => {
    const prev = q2[i];
    const want: (string | number)[] = [day, perSensor(day, 445), perSensor(day, 23)];
    // Q2 is a day shorter: its last column is empty, not 0.
    want.push(prev ? perSensor(prev, 445) : '', prev ? perSensor(prev, 23) : '');
    expect(csv[i + 1]).toBe(want.join(','));
  });
  // Some day had two sensors: its value is not the plain sum.
  const sum = (day: string) =>
    records
      .filter((r) => r.day === day && r.proto === 'tcp' && r.port === 445)
      .reduce((a, r) => a + r.packets, 0);
  expect(q3.some((day, i) => Number(csv[i + 1]!.split(',')[1]) !== sum(day))).toBe(true);
  await page.close();
});

test('brushing across a trend chart zooms, and the zoom is in the URL', async () => {
  const page = await open(`/ports?${Q3_QS}`);
  const chart = page.locator('#chart-port-trends .echart');
  await chart.locator('canvas').first().waitFor();
  const box = (await chart.boundingBox())!;
  const y = box.y + box.height * 0.5;
  await page.mouse.move(box.x + box.width * 0.4, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.6, y, { steps: 5 });
  await page.mouse.up();
  await expect
    .poll(() => new URL(page.url()).searchParams.get('zoom'))
    .toMatch(/^2020-\d\d-\d\d\.\.2020-\d\d-\d\d$/);
  const zoom = new URL(page.url()).searchParams.get('zoom')!;
  // The URL changes before React re-renders the caption: wait for it rather than race it.
  await expect
    .poll(() => page.locator('#chart-port-trends .caption').innerText())
    .toContain('zoomed');
  const csv = await downloadText(page, page.locator('#chart-port-trends [data-export=csv]'));
  const [from, to] = zoom.split('..');
  const days = csv
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[0]);
  expect(days[0]).toBe(from);
  expect(days[days.length - 1]).toBe(to);
  await page.getByRole('button', { name: 'Reset zoom' }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('zoom')).toBeNull();
  await page.close();
});

async function downloadText(page: Page, button: ReturnType<Page['locator']>): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return readFileSync((await download.path())!, 'utf8');
}

describe('exports', () => {
  test('chart PNG: 2x, captioned, not blank; SVG carries the caption', async () => {
    const page = await open(`/ports/445-tcp?${Q3_QS}`);
    const card = page.locator('#chart-port-windows');
    await card.locator('canvas').first().waitFor();
    const box = (await card.locator('.echart').boundingBox())!;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.locator('[data-export=png]').click(),
    ]);
    const png = readFileSync((await download.path())!);
    const size = pngSize(png);
    expect(size.width).toBe(Math.round(box.width) * 2);
    expect(size.height).toBe((Math.round(box.height) + 58 + 24) * 2);
    // decode in the browser: a white background with plenty of drawn pixels
    const stats = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      let blue = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i]! < 200 || d[i + 1]! < 200 || d[i + 2]! < 200) ink++;
        if (d[i + 2]! > 150 && d[i]! < 90) blue++;
      }
      return { ink, blue, corner: [d[0], d[1], d[2], d[3]], total: d.length / 4 };
    }, png.toString('base64'));
    expect(stats.corner).toEqual([255, 255, 255, 255]);
    expect(stats.ink / stats.total).toBeGreaterThan(0.01);
    expect(stats.blue).toBeGreaterThan(100);

    const svg = await downloadText(page, card.locator('[data-export=svg]'));
    expect(svg).toContain('<svg');
    expect(svg).toContain('445/TCP: distinct source hosts by TCP window size');
    expect(svg).toContain('(UTC days)');
    await page.close();
  });

  test('server-side chart PNG route', async () => {
    const res = await fetch(
      `${base}/api/v1/chart.png?${Q3_QS}&port=445/tcp&width=640&height=300&ratio=2`,
    );
    expect(res.status).toBe(200);
    expect(pngSize(Buffer.from(await res.arrayBuffer()))).toEqual({
      width: 1280,
      height: (300 + 58 + 24) * 2,
    });
  });
});

describe('countries', () => {
  test('the map colours the countries with data by bucket, grey without', async () => {
    const page = await open(`/countries?${Q3_QS}`);
    const map = page.getByTestId('world-map');
    await map.waitFor();
    const ranked = refCountries(records, { period: Q3 });
    const scale = choroplethScale(ranked.map((r) => r.packets));
    const fill = (cc: string) => map.locator(`path[data-cc=${cc}]`).first().getAttribute('fill');
    for (const r of ranked) expect(await fill(r.key)).toBe(scale.color(r.packets));
    expect(await fill('US')).toBe(scale.buckets[scale.buckets.length - 1]!.color);
    expect(await fill('AU')).toBe(NO_DATA);
    expect(await fill('NZ')).not.toBe(NO_DATA);
    // the map's PNG export: 2x the 960x470 figure plus the caption, decodable
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('.map-export [data-export=png]').click(),
    ]);
    expect(pngSize(readFileSync((await download.path())!))).toEqual({
      width: 960 * 2,
      height: (470 + 58 + 24) * 2,
    });
    // click drills down
    // Russia's bounding-box centre is not on its shape (it wraps the antimeridian): dispatch.
    await map.locator('path[data-cc=RU]').first().dispatchEvent('click');
    await page.waitForURL(/\/countries\/RU\?/);
    await page.getByTestId('share-note').waitFor();
    const note = await page.getByTestId('share-note').innerText();
    expect(note).toContain('22/TCP');
    expect(note).toContain('3389/TCP');
    const ports = await page
      .locator('[data-testid=country-ports] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')));
    expect(ports.slice(0, 2)).toEqual(['22/tcp', '3389/tcp']);
    await page.close();
  });
});

describe('the NZ backscatter story', () => {
  test('country 8-day view -> AS organisations -> hosts of 2020-08-31 -> host page', async () => {
    const page = await open('/countries/NZ?from=2020-08-26&to=2020-09-02');
    const asns = page.locator('[data-testid=country-asns] tbody tr');
    await expect.poll(() => asns.first().innerText()).toContain('EXAMPLEBANK-NZ Example Bank');
    expect(await asns.first().innerText()).toContain('7');

    const list = await open('/hosts?from=2020-08-31&to=2020-08-31&country=NZ&class=backscatter');
    const rows = list.locator('[data-testid=hosts] tbody tr');
    await expect.poll(() => rows.count()).toBe(7);
    const ips = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ip')));
    expect(ips.sort()).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `202.50.30.${i}`).sort());
    expect(await list.getByTestId('hosts-title').innerText()).toContain('New Zealand');
    await rows.first().locator('a').first().click();
    await list.waitForURL(/\/hosts\/202\.50\.30\./);
    const profile = list.getByTestId('host-profile');
    await expect.poll(() => profile.innerText()).toContain('EXAMPLEBANK-NZ Example Bank');
    expect(await list.getByTestId('host-window').innerText()).toContain('29200');
    // The bank's fixed SYN-ACK sequence number (fixture: NZ_BACKSCATTER).
    expect(await list.getByTestId('host-seq').innerText()).toContain('2654435769');
    expect(await profile.innerText()).toContain('backscatter');
    await page.close();
    await list.close();
  });

  test('host search by prefix and AS', async () => {
    const page = await open(`/?${Q3_QS}`);
    await page.getByLabel('Search hosts by address, prefix or AS').fill('202.50.30.0/24');
    await page.getByLabel('Search hosts by address, prefix or AS').press('Enter');
    await page.waitForURL(/\/hosts\?.*prefix=202\.50\.30\.0%2F24/);
    await expect.poll(() => page.locator('[data-testid=hosts] tbody tr').count()).toBe(7);
    await page.getByLabel('Search hosts by address, prefix or AS').fill('AS64601');
    await page.getByLabel('Search hosts by address, prefix or AS').press('Enter');
    await page.waitForURL(/\/hosts\?.*asn=64601/);
    // the stock exchange: 4 addresses on 2020-08-27, one of them again on 08-30
    await expect.poll(() => page.locator('[data-testid=hosts] tbody tr').count()).toBe(4);
    await page.close();
  });
});

describe('anomaly annotations', () => {
  test('an anomaly deep link (NZ, 2020-08-27) opens the country view with the anomaly marked', async () => {
    const res = await fetch(`${base}/api/v1/anomalies?from=2020-08-26&to=2020-09-02&country=NZ`);
    expect(res.status).toBe(200);
    const list = (await res.json()) as { id: string; kind: string; day: string; link: string }[];
    const event = list.find((a) => a.kind === 'backscatter' && a.day === '2020-08-27');
    expect(event?.link).toMatch(/^\/countries\/NZ\?from=2020-08-26&to=2020-09-02&mark=2020-08-27&/);
    const page = await open(event!.link);
    const card = page.locator('#chart-country-trend');
    const chart = card.locator('.echart');
    await chart.locator('canvas').first().waitFor();
    // What the ECharts instance draws, read back from its option (data-anomaly-marks)
    await expect.poll(() => chart.getAttribute('data-anomaly-marks')).toContain(event!.id);
    const drawn = JSON.parse((await chart.getAttribute('data-anomaly-marks'))!) as {
      points: { day: string; ids: string[] }[];
      highlight: { from: string; to: string }[];
    };
    expect(drawn.highlight).toEqual([{ from: '2020-08-27', to: '2020-08-27' }]);
    expect(drawn.points).toContainEqual({ day: '2020-08-27', ids: [event!.id] });
    // the 08-30 and 08-31 NZ events are pinned too
    expect(drawn.points.map((p) => p.day).sort()).toEqual([
      '2020-08-27',
      '2020-08-30',
      '2020-08-31',
    ]);
    // drawn for real: the linked anomaly's colour is on the canvas
    const highlightPixels = () =>
      chart
        .locator('canvas')
        .first()
        .evaluate((c: HTMLCanvasElement) => {
          const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) {
            if (Math.abs(d[i]! - 0xb0) < 24 && d[i + 1]! < 40 && Math.abs(d[i + 2]! - 0x20) < 24)
              n++;
          }
          return n;
        });
    await expect.poll(highlightPixels).toBeGreaterThan(200);
    // the sentence under the chart, the linked anomaly first and selected
    const item = card.locator('[data-testid=chart-marks] li[data-selected]');
    expect(await item.getAttribute('data-anomaly-id')).toBe(event!.id);
    expect(await item.innerText()).toContain('DDoS backscatter');
    // the server PNG link carries the same marks
    const png = new URL((await card.locator('[data-export=png-link]').getAttribute('href'))!, base);
    expect(png.searchParams.get('anomalies')).toBe('1');
    expect(png.searchParams.get('mark')).toBe('2020-08-27');
    expect(png.searchParams.get('anomaly')).toBe(event!.id);

    // hiding annotations is view state in the URL; the deep link's mark stays in it
    await page.getByTestId('toggle-annotations').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('annotations')).toBe('0');
    expect(new URL(page.url()).searchParams.get('mark')).toBe('2020-08-27');
    await expect.poll(() => chart.getAttribute('data-anomaly-marks')).toBeNull();
    expect(await card.locator('[data-testid=chart-marks]').count()).toBe(0);
    await page.close();
  });
});

describe('states', () => {
  test('a bad parameter shows the API error in the view, not a crash', async () => {
    const page = await open(`/ports/445-tcp?${Q3_QS}&sensors=nope`);
    await expect
      .poll(() => page.locator('.state-error').first().innerText())
      .toContain("unknown sensor 'nope'");
    await page.close();
  });

  test('every view renders at 1280 px without horizontal overflow', async () => {
    for (const path of [
      `/?${Q3_QS}`,
      `/ports?${Q3_QS}`,
      `/ports/445-tcp?${Q3_QS}`,
      `/countries?${Q3_QS}`,
      `/countries/JP?${Q3_QS}`,
      `/hosts?${Q3_QS}`,
      '/hosts/202.50.30.1',
    ]) {
      const page = await open(path);
      await page.locator('main h1').first().waitFor();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
      expect(await page.locator('.state-error').count(), path).toBe(0);
      expect(await page.locator('.period-line').first().innerText(), path).toContain('UTC');
      await page.close();
    }
  });
});
