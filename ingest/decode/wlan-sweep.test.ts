/**
 * 802.11 against tshark, value by value: every frame control, every radiotap flags byte (with
 * and without TSFT and a second present word) and every first two bytes of a data frame's body.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ipv4, tcp } from '../format/test-support/packet-bytes';
import { hasTool, tempDir } from '../format/test-support/tools';
import { notDecodedEthertype, sweepWithTshark } from '../format/test-support/tshark-sweep';

const IPV4 = ipv4(
  { proto: 6, src: '198.51.100.1', dst: '192.0.2.1' },
  tcp({ sport: 40000, dport: 80, flags: 0x02, window: 8192 }),
);
const SNAP_IPV4 = [0xaa, 0xaa, 3, 0, 0, 0, 8, 0, ...IPV4];
const MACS = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb];

/** An 802.11 header for frame control fc0/fc1, with the fields that frame control announces. */
function wlanHeader(fc0: number, fc1: number, pad = false): number[] {
  const h = [fc0, fc1, 0, 0, ...MACS, 0, 0, 0, 0, 0, 1, 0x10, 0];
  if ((fc1 & 3) === 3) h.push(0, 0, 0, 0, 0, 2);
  if (fc0 & 0x80) h.push(0, 0, ...(fc1 & 0x80 ? [0, 0, 0, 0] : []));
  while (pad && h.length % 4) h.push(0);
  return h;
}

/** A radiotap header with Flags (and TSFT before it, and an empty second present word). */
function radiotap(flags: number, tsft: boolean, ext: boolean): number[] {
  const h = [0, 0, 0, 0, tsft ? 3 : 2, 0, 0, ext ? 0x80 : 0, ...(ext ? [0, 0, 0, 0] : [])];
  if (tsft) {
    while (h.length % 8) h.push(0);
    h.push(1, 2, 3, 4, 5, 6, 7, 8);
  }
  h.push(flags, 0);
  h[2] = h.length;
  return h;
}

describe.skipIf(!hasTool('tshark'))('802.11 agrees with tshark value by value', () => {
  const dir = tempDir('scanline-sweep-');
  afterAll(() => dir.remove());

  it('every frame control', async () => {
    const frames: number[][] = [];
    for (let fc = 0; fc < 0x10000; fc++)
      frames.push([...wlanHeader(fc >> 8, fc & 255), ...SNAP_IPV4]);
    const { differ, theirs } = await sweepWithTshark(dir, 'wlan-fc', 105, frames, (i) =>
      i.toString(16),
    );
    expect(differ).toEqual([]);
    expect(theirs.filter((f) => f.ipLayer !== 0).length).toBeGreaterThan(1);
  });

  it('every radiotap flags value, with and without TSFT and a second present word', async () => {
    const frames: number[][] = [];
    for (let flags = 0; flags < 256; flags++) {
      for (const tsft of [false, true]) {
        for (const ext of [false, true]) {
          const fcs = flags & 0x10 ? [1, 2, 3, 4] : [];
          const wlan = wlanHeader(0x88, 1, (flags & 0x20) !== 0);
          frames.push([...radiotap(flags, tsft, ext), ...wlan, ...SNAP_IPV4, ...fcs]);
        }
      }
    }
    const { differ, theirs } = await sweepWithTshark(
      dir,
      'radiotap-flags',
      127,
      frames,
      (i) => `flags 0x${(i >> 2).toString(16)} #${i & 3}`,
    );
    expect(differ).toEqual([]);
    expect(theirs.filter((f) => f.ipLayer !== 0).length).toBeGreaterThan(1);
  });

  it('every first two bytes of a body: an ethertype, or LLC, then IPv4', async () => {
    const frames: number[][] = [];
    for (let v = 0; v < 0x10000; v++) {
      for (const llc of [[], [3]])
        frames.push([...wlanHeader(0x08, 1), v >> 8, v & 255, ...llc, ...IPV4]);
    }
    const { differ } = await sweepWithTshark(
      dir,
      'wlan-bodies',
      105,
      frames,
      (i) => `0x${(i >> 1).toString(16)}${i & 1 ? ' 03' : ''}`,
      (ours, tshark, i) =>
        ours.ipLayer === 0 && tshark.ipLayer !== 0 && notDecodedEthertype(i >> 1),
    );
    expect(differ).toEqual([]);
  });
});
