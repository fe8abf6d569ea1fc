import { describe, expect, test } from 'vitest';
import { cleanParams } from '@/lib/api/endpoints';
import { formatState, parseState } from './codec';
import { hostSearchTarget } from './host-search';
import {
  countryDetailQueries,
  overviewQueries,
  portTrendsPreviousQuery,
  portTrendsQueries,
} from './view-queries';
import { countryDetailState, overviewState, portDetailState, portTrendsState } from './views';

function roundTrip<S extends Parameters<typeof parseState>[0]>(schema: S, qs: string) {
  const params = new URLSearchParams(qs);
  const state = parseState(schema, (k) => params.get(k));
  return { state, qs: formatState(schema, state).toString() };
}

describe('view state codecs', () => {
  test('a full port-trends state round-trips through the query string', () => {
    const qs =
      'from=2020-07-01&to=2020-09-30&sensors=osaka-2%2Ctokyo-1&ports=445%2Ftcp%2C3389%2Ftcp&n=8&metric=sources&scale=log&stack=1&compare=previous&per=sensor&zoom=2020-08-26..2020-09-02';
    const { state, qs: again } = roundTrip(portTrendsState, qs);
    expect(state).toEqual({
      from: '2020-07-01',
      to: '2020-09-30',
      sensors: ['osaka-2', 'tokyo-1'],
      ports: ['445/tcp', '3389/tcp'],
      n: 8,
      metric: 'sources',
      scale: 'log',
      stack: true,
      compare: 'previous',
      per: 'sensor',
      zoom: { from: '2020-08-26', to: '2020-09-02' },
      mark: null,
      anomaly: undefined,
      annotations: true,
    });
    expect(again).toBe(qs);
  });

  test('anomaly annotations: the deep link mark and id, and hiding them, round-trip', () => {
    const link = 'from=2020-08-26&to=2020-09-02&mark=2020-08-27&anomaly=1c19a10fde7477e1';
    const { state, qs } = roundTrip(countryDetailState, link);
    expect(state).toMatchObject({
      mark: { from: '2020-08-27', to: '2020-08-27' },
      anomaly: '1c19a10fde7477e1',
      annotations: true,
    });
    expect(qs).toBe(link);
    const range = roundTrip(portDetailState, 'mark=2020-08-18..2020-09-01&annotations=0');
    expect(range.state).toMatchObject({
      mark: { from: '2020-08-18', to: '2020-09-01' },
      annotations: false,
    });
    expect(range.qs).toBe('mark=2020-08-18..2020-09-01&annotations=0');
    const bad = roundTrip(overviewState, 'mark=2020-09-02..2020-08-26&anomaly=xyz');
    expect([bad.state.mark, bad.state.anomaly, bad.qs]).toEqual([null, undefined, '']);
  });

  test('defaults are left out; bad values fall back to defaults instead of failing', () => {
    const { state, qs } = roundTrip(
      portTrendsState,
      'from=2020-02-30&to=2020-09-30&ports=445,foo,22/UDP&n=99&metric=bytes&scale=LOG&stack=maybe&zoom=2020-09-02..2020-08-26',
    );
    expect(state).toMatchObject({
      from: undefined,
      ports: ['22/udp'],
      n: 5,
      metric: 'packets',
      scale: 'linear',
      stack: false,
      zoom: null,
    });
    expect(qs).toBe('to=2020-09-30&ports=22%2Fudp');
  });

  test('country focus port and compare mode', () => {
    expect(roundTrip(countryDetailState, 'port=22-TCP').state.port).toBe('22/tcp');
    expect(roundTrip(overviewState, 'compare=none').qs).toBe('compare=none');
  });
});

describe('view queries derive API parameters from the state', () => {
  test('overview compares with the previous calendar quarter', () => {
    const s = parseState(
      overviewState,
      (k) => ({ from: '2020-07-01', to: '2020-09-30' })[k as 'from'],
    );
    const q = overviewQueries(s);
    expect(q.ports).toEqual({
      from: '2020-07-01',
      to: '2020-09-30',
      sensors: undefined,
      limit: '10',
    });
    expect(q.previousSeries).toMatchObject({
      from: '2020-04-01',
      to: '2020-06-30',
      metric: 'packets',
    });
  });
  test('chosen ports replace the top-N request', () => {
    const s = parseState(portTrendsState, (k) => ({ ports: '22/tcp' })[k as 'ports']);
    expect(portTrendsQueries(s).series).toMatchObject({ split: 'port', ports: '22/tcp' });
    expect(portTrendsQueries(s).series).not.toHaveProperty('limit');
  });
  test('country detail passes the country to every request', () => {
    const s = parseState(countryDetailState, () => undefined);
    const q = countryDetailQueries(s, 'NZ');
    expect(Object.values(q).every((p) => p.country === 'NZ')).toBe(true);
  });
});

test('host search: address, prefix, AS', () => {
  const keep = new URLSearchParams('from=2020-08-31&to=2020-08-31&metric=sources');
  expect(hostSearchTarget(' 202.50.30.1 ', keep)).toBe(
    '/hosts/202.50.30.1?from=2020-08-31&to=2020-08-31',
  );
  expect(hostSearchTarget('2001:DB8::1', new URLSearchParams())).toBe('/hosts/2001%3Adb8%3A%3A1');
  expect(hostSearchTarget('202.50.30.0/24', keep)).toBe(
    '/hosts?from=2020-08-31&to=2020-08-31&prefix=202.50.30.0%2F24',
  );
  expect(hostSearchTarget('AS64602', keep)).toBe('/hosts?from=2020-08-31&to=2020-08-31&asn=64602');
  expect(hostSearchTarget('202.50.', keep)).toContain('prefix=202.50.');
  expect(hostSearchTarget('hello', keep)).toBeNull();
  expect(hostSearchTarget('', keep)).toBeNull();
});

test('port trends compare: the plotted ports, not a top-n, over the previous period', () => {
  const { state } = roundTrip(
    portTrendsState,
    'from=2020-07-01&to=2020-09-30&n=3&compare=previous&per=sensor&sensors=tokyo-1',
  );
  expect(cleanParams(portTrendsPreviousQuery(state, ['445/tcp', '23/tcp'])!)).toEqual({
    from: '2020-04-01',
    to: '2020-06-30',
    sensors: 'tokyo-1',
    metric: 'packets',
    split: 'port',
    ports: '445/tcp,23/tcp',
    per: 'sensor',
  });
  expect(portTrendsPreviousQuery(state, [])).toBeNull();
  expect(portTrendsPreviousQuery({ ...state, compare: 'none' }, ['445/tcp'])).toBeNull();
});
