import { describe, expect, it } from 'vitest';
import { checkExitAfter, checkSensorArgs, checkSpoolArgs, checkWatchArgs } from './sensor-args';

describe('checkSensorArgs', () => {
  it('normalises CIDR lists (IPv6 to its RFC 5952 form); an empty list clears the prefixes', () => {
    expect(checkSensorArgs('east', ' 192.0.2.0/24 , 198.51.100.128/25')).toEqual({
      sensor: 'east',
      prefixes: '192.0.2.0/24,198.51.100.128/25',
    });
    expect(checkSensorArgs('east', '0.0.0.0/0,203.0.113.7/32')).toEqual({
      sensor: 'east',
      prefixes: '0.0.0.0/0,203.0.113.7/32',
    });
    expect(checkSensorArgs('east', '192.0.2.0/24, 2001:DB8:0:0:1::/80')).toEqual({
      sensor: 'east',
      prefixes: '192.0.2.0/24,2001:db8:0:0:1::/80',
    });
    expect(checkSensorArgs('east', '')).toEqual({ sensor: 'east', prefixes: '' });
    expect(checkSensorArgs('east', undefined)).toEqual({ sensor: 'east' });
    expect(checkSensorArgs(undefined, undefined)).toEqual({});
  });

  it('refuses what is not a block, naming it', () => {
    const cases: [string, string][] = [
      ['192.0.2.0', "'192.0.2.0' is not a CIDR block"],
      ['192.0.2.0/33', "'192.0.2.0/33' is not"],
      ['256.0.0.0/8', "'256.0.0.0/8' is not"],
      ['2001:db8::/129', "'2001:db8::/129' is not"],
      ['2001:db8::1/64', "'2001:db8::1/64' has host bits set (the block is 2001:db8::/64)"],
      ['fe80::%eth0/64', "'fe80::%eth0/64' is not"],
      ['::ffff:192.0.2.1/120', 'the block is ::ffff:c000:200/120'],
      ['192.0.2.0/24,,', "'' is not"],
      ['192.0.2.77/24', "'192.0.2.77/24' has host bits set (the block is 192.0.2.0/24)"],
      ['10.255.0.0/8', 'the block is 10.0.0.0/8'],
    ];
    for (const [prefixes, message] of cases) {
      const r = checkSensorArgs('east', prefixes);
      expect('error' in r && r.error, prefixes).toContain(message);
    }
  });

  it('refuses empty, padded, control-character and reserved sensor names; prefixes without a sensor', () => {
    for (const name of ['', '  ', ' east', 'east\n', 'a\u0007b', '*']) {
      expect('error' in checkSensorArgs(name, undefined), JSON.stringify(name)).toBe(true);
    }
    expect(checkSensorArgs(undefined, '192.0.2.0/24')).toEqual({
      error: '--prefixes needs --sensor (they are the prefixes of that one sensor)',
    });
    expect(checkSensorArgs('Tokyo sensor 2', undefined)).toEqual({ sensor: 'Tokyo sensor 2' });
  });
});

describe('checkWatchArgs', () => {
  it('a whole --settle-ms and a positive --exit-after-s', () => {
    expect(checkWatchArgs('2000', undefined)).toBeNull();
    expect(checkWatchArgs('0', '1.5')).toBeNull();
    expect(checkWatchArgs('2s', undefined)).toContain('--settle-ms must be a whole number');
    expect(checkWatchArgs('-1', undefined)).toContain('--settle-ms');
    expect(checkExitAfter('0')).toContain('--exit-after-s must be a positive number');
    expect(checkExitAfter('soon')).toContain('(got soon)');
    expect(checkExitAfter(undefined)).toBeNull();
  });
});

describe('checkSpoolArgs', () => {
  it('the sensor options first, then those of --watch', () => {
    expect(
      checkSpoolArgs({ sensor: 'east', prefixes: '192.0.2.0/24', 'settle-ms': '2000' }),
    ).toEqual({ sensor: 'east', prefixes: '192.0.2.0/24' });
    expect(checkSpoolArgs({ sensor: '', 'settle-ms': 'x' })).toMatchObject({
      error: expect.stringContaining('--sensor'),
    });
    expect(checkSpoolArgs({ sensor: 'east', 'settle-ms': 'x' })).toMatchObject({
      error: expect.stringContaining('--settle-ms'),
    });
  });
});
