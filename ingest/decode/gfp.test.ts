/**
 * GFP-T and GFP-F records compared with tshark frame by frame: each payload type indicator,
 * FCS flag, extension header kind and payload length against three payloads.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ipv4, tcp } from '../format/test-support/packet-bytes';
import { hasTool, tempDir } from '../format/test-support/tools';
import { keysWithSource, sweepWithTshark } from '../format/test-support/tshark-sweep';

const SYN = tcp({ sport: 40000, dport: 445, flags: 0x02, window: 8192 });
const IP4 = [...ipv4({ proto: 6, src: '198.51.100.1' }, SYN)];
const MACS = [0, 1, 2, 3, 4, 5, 0, 0x11, 0x22, 0x33, 0x44, 0x55];
const be16 = (v: number) => [v >> 8, v & 0xff];

const PAYLOADS: Record<number, number[]> = {
  1: [...MACS, 0x08, 0x00, ...IP4], // frame-mapped Ethernet
  16: IP4,
  2: [0x00, 0x21, ...IP4], // frame-mapped PPP
};

describe.skipIf(!hasTool('tshark'))('GFP records agree with tshark', () => {
  const dir = tempDir('scanline-gfp-');
  afterAll(() => dir.remove());

  it.each([170, 171])(
    'link type %i: PTI, PFI, EXI and PLI against each payload',
    async (linkType) => {
      const cases: { label: string; frame: number[] }[] = [];
      for (const [upi, body] of Object.entries(PAYLOADS)) {
        for (let pti = 0; pti < 8; pti++) {
          for (const pfi of [0, 1]) {
            for (let exi = 0; exi < 16; exi++) {
              const ext = exi === 0 ? [] : exi === 2 ? Array(18).fill(0) : [1, 0, 0, 0];
              for (const pli of [0, 1, 3, 4, 8, 4 + ext.length + body.length, 60000]) {
                const type = (pti << 13) | (pfi << 12) | (exi << 8) | Number(upi);
                cases.push({
                  label: `UPI ${upi}, PTI ${pti}, PFI ${pfi}, EXI ${exi}, PLI ${pli}`,
                  frame: [
                    ...be16(pli),
                    0,
                    0,
                    ...be16(type),
                    0,
                    0,
                    ...ext,
                    ...body,
                    ...(pfi ? [0, 0, 0, 0] : []),
                  ],
                });
              }
            }
          }
        }
      }
      const { differ, theirs } = await sweepWithTshark(
        dir,
        `gfp-${linkType}`,
        linkType,
        cases.map((c) => c.frame),
        (i) => cases[i]!.label,
        // A payload FCS inside the PLI cuts the TCP header short on the wire in tshark (no
        // flags); we bound the captured bytes only (ingest/decode/README.md).
        (ours, tshark) =>
          tshark.src !== null &&
          ours.src === tshark.src &&
          ours.dstPort === tshark.dstPort &&
          ours.tcpFlags !== null &&
          tshark.tcpFlags === null,
      );
      expect(differ).toEqual([]);
      // IP reached behind each payload type.
      expect(keysWithSource(cases, theirs, (c) => c.label.split(',')[0]!)).toEqual([
        'UPI 1',
        'UPI 16',
        'UPI 2',
      ]);
    },
  );
});
