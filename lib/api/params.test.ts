import { describe, expect, test } from 'vitest';
import { ApiError } from './errors';
import {
  canonicalIp,
  hostSchema,
  hostsSchema,
  parseIpPrefix,
  parseParams,
  portsTopSchema,
  seriesSchema,
} from './params';

function badParam(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    const err = e as ApiError;
    expect(err.status).toBe(400);
    expect(err.message).toContain(`'${err.parameter}'`);
    return err.parameter ?? '';
  }
  throw new Error('expected a 400');
}

describe('parseParams', () => {
  test('valid parameters parse to typed values', () => {
    const p = parseParams(
      seriesSchema,
      new URLSearchParams(
        'from=2020-07-01&to=2020-09-30&port=445/TCP&country=jp&split=window&metric=sources',
      ),
    );
    expect(p).toMatchObject({
      from: '2020-07-01',
      to: '2020-09-30',
      port: { proto: 'tcp', port: 445 },
      country: 'JP',
      split: 'window',
      metric: 'sources',
      limit: 5,
    });
    expect(parseParams(portsTopSchema, {}).limit).toBe(10);
  });

  test.each([
    ['from=2020-02-30&to=2020-03-01', 'from'],
    ['from=2020-07-01', 'to'],
    ['to=2020-07-01', 'from'],
    ['from=2020-09-01&to=2020-07-01', 'to'],
    ['from=1990-01-01&to=2020-01-01', 'to'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=1e2', 'limit'],
    ['country=RUS', 'country'],
    ['country=1', 'country'],
    ['colour=red', 'colour'],
    ["from=2020-07-01'--&to=2020-07-02", 'from'],
  ])('ports/top %s -> 400 naming %s', (qs, param) => {
    expect(badParam(() => parseParams(portsTopSchema, new URLSearchParams(qs)))).toBe(param);
  });

  test.each([
    ['metric=bytes', 'metric'],
    ['split=asn', 'split'],
    ['port=445', 'port'],
    ['port=70000/tcp', 'port'],
    ['port=445/icmp', 'port'],
    ['split=window&port=53/udp', 'port'],
    ['split=class&country=RU', 'country'],
    ['split=port&port=22/tcp', 'port'],
    ['ports=22/tcp', 'ports'],
    ['split=port&ports=22/tcp,bogus', 'ports'],
    ['split=country&countries=RU,XXX', 'countries'],
  ])('series %s -> 400 naming %s', (qs, param) => {
    expect(badParam(() => parseParams(seriesSchema, new URLSearchParams(qs)))).toBe(param);
  });

  test.each([
    ['asn=AS-1', 'asn'],
    ['asn=99999999999', 'asn'],
    ['class=worm', 'class'],
    ['prefix=10.0.0.0/33', 'prefix'],
    ['prefix=hello', 'prefix'],
    ['limit=1001', 'limit'],
  ])('hosts %s -> 400 naming %s', (qs, param) => {
    expect(badParam(() => parseParams(hostsSchema, new URLSearchParams(qs)))).toBe(param);
  });

  test('host ip is validated and canonicalised', () => {
    expect(badParam(() => parseParams(hostSchema, { ip: '300.1.1.1' }))).toBe('ip');
    expect(badParam(() => parseParams(hostSchema, { ip: 'example.com' }))).toBe('ip');
    expect(parseParams(hostSchema, { ip: '2001:DB8:0:0::1' }).ip).toBe('2001:db8::1');
  });
});

test('canonicalIp', () => {
  expect(canonicalIp('192.0.2.1')).toBe('192.0.2.1');
  expect(canonicalIp('192.0.2.256')).toBeNull();
  expect(canonicalIp('::ffff:1.2.3.4')).not.toBeNull();
  expect(canonicalIp('1:2:3')).toBeNull();
});

test('address prefixes become LIKE patterns', () => {
  expect(parseIpPrefix('203.0.113.0/24')?.likes).toEqual(['203.0.113.%']);
  expect(parseIpPrefix('203.0.113.77/24')?.label).toBe('203.0.113.0/24');
  expect(parseIpPrefix('198.51.100.0/22')?.likes).toEqual([
    '198.51.100.%',
    '198.51.101.%',
    '198.51.102.%',
    '198.51.103.%',
  ]);
  expect(parseIpPrefix('192.0.2.8/30')?.likes).toEqual([
    '192.0.2.8',
    '192.0.2.9',
    '192.0.2.10',
    '192.0.2.11',
  ]);
  expect(parseIpPrefix('10.0.0.0/8')?.likes).toEqual(['10.%']);
  expect(parseIpPrefix('203.0.')?.likes).toEqual(['203.0.%']);
  expect(parseIpPrefix('2001:db8::/32')?.likes).toEqual(['2001:db8:%']);
  expect(parseIpPrefix('10.0.0.0/0')).toBeNull();
});
