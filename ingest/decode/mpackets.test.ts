/**
 * IEEE 802.3br mPackets compared with tshark frame by frame: every SMD value after 0, 1, 7
 * and 12 preamble bytes, with a right or a missing CRC, then cuts of an express frame.
 */
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ipv4, tcp } from '../format/test-support/packet-bytes';
import { hasTool, tempDir } from '../format/test-support/tools';
import { sweepWithTshark } from '../format/test-support/tshark-sweep';

const SYN = tcp({ sport: 40000, dport: 445, flags: 0x02, window: 8192 });
const ETH = [
  0,
  1,
  2,
  3,
  4,
  5,
  0,
  0x11,
  0x22,
  0x33,
  0x44,
  0x55,
  0x08,
  0x00,
  ...ipv4({ proto: 6 }, SYN),
];
const crcBytes = (b: number[]) => {
  const v = crc32(Uint8Array.from(b));
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
};

describe.skipIf(!hasTool('tshark'))('mPackets agree with tshark', () => {
  const dir = tempDir('scanline-mpackets-');
  afterAll(() => dir.remove());

  it('every SMD value, preamble length and CRC; cuts of an express frame', async () => {
    const cases: { label: string; frame: number[] }[] = [];
    for (const preamble of [0, 1, 7, 12]) {
      for (let smd = 0; smd < 256; smd++) {
        const head = [...Array(preamble).fill(0x55), smd];
        cases.push({
          label: `${preamble} x 55, SMD ${smd}, CRC`,
          frame: [...head, ...ETH, ...crcBytes(ETH)],
        });
        cases.push({ label: `${preamble} x 55, SMD ${smd}, no CRC`, frame: [...head, ...ETH] });
      }
    }
    const express = [...Array(7).fill(0x55), 0xd5, ...ETH, ...crcBytes(ETH)];
    for (let cut = 0; cut <= express.length; cut++) {
      cases.push({ label: `express frame cut at ${cut}`, frame: express.slice(0, cut) });
    }
    const { differ, theirs } = await sweepWithTshark(
      dir,
      'mpackets',
      274,
      cases.map((c) => c.frame),
      (i) => cases[i]!.label,
      // Cut inside its IPv4 header's payload, the frame's CRC bytes still count as on the
      // wire for us (a TCP layer without ports): not a count tshark and we report differently.
      (ours, tshark) =>
        ours.src === tshark.src && ours.dstPort === null && tshark.transport === null,
    );
    expect(differ).toEqual([]);
    // IP after SMD-E and each SMD-S, with the right CRC, whatever the preamble's length.
    const smds = new Set(
      cases
        .filter((c, i) => theirs[i]!.src !== null && c.label.includes('SMD'))
        .map((c) => c.label.split(', ')[1]),
    );
    expect([...smds].sort()).toEqual(['SMD 179', 'SMD 213', 'SMD 230', 'SMD 76', 'SMD 127'].sort());
  });
});
