/**
 * ATM captures (SunATM, Juniper ATM1 / ATM2) and MAC frames bridged in SNAP (00-80-C2, in
 * LLC and frame relay), compared with tshark frame by frame: each traffic type, cookie and
 * body tshark guesses from, every bridged PID, control field and pad; then a SunATM record
 * too short for its pseudo-header.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureParser } from '../format/capture-parser';
import { PcapngWriter, pcapFile } from '../format/test-support/capture-bytes';
import { ipv4, ipv6, tcp } from '../format/test-support/packet-bytes';
import { hasTool, tempDir } from '../format/test-support/tools';
import { keysWithSource, sweepWithTshark } from '../format/test-support/tshark-sweep';

const SYN = tcp({ sport: 40000, dport: 445, flags: 0x02, window: 8192 });
const IP4 = [...ipv4({ proto: 6, src: '198.51.100.1', dst: '192.0.2.1' }, SYN)];
const IP6 = [...ipv6({ nextHeader: 6, src: '2001:db8::1', dst: '2001:db8::2' }, SYN)];
const SNAP_IP4 = [0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00];
const MACS = [0, 1, 2, 3, 4, 5, 0, 0x11, 0x22, 0x33, 0x44, 0x55];
const eth = (type: number, body: number[]) => [...MACS, type >> 8, type & 0xff, ...body];
const ETH4 = eth(0x0800, IP4);
const ETH6 = eth(0x86dd, IP6);
/** Token Ring: access and frame control (LLC), addresses, LLC/SNAP, IPv4. */
const TOKEN_RING = [0x10, 0x40, ...MACS, ...SNAP_IP4, ...IP4];
/** FDDI: frame control (asynchronous LLC), addresses, LLC/SNAP, IPv4. */
const FDDI = [0x50, ...MACS, ...SNAP_IP4, ...IP4];

const ATM_BODIES: Record<string, number[]> = {
  'SNAP IPv4': [...SNAP_IP4, ...IP4],
  'SNAP IPv6': [0xaa, 0xaa, 0x03, 0, 0, 0, 0x86, 0xdd, ...IP6],
  'raw IPv4': IP4,
  'raw IPv6': IP6,
  'PPP IPv4': [0x00, 0x21, ...IP4],
  'PPP IPv6': [0x00, 0x57, ...IP6],
  'pad + Ethernet': [0, 0, ...ETH4],
  'frame relay, 2-byte address': [0x18, 0x41, 0x03, 0xcc, ...IP4],
  'frame relay, 4-byte address': [0x18, 0x40, 0x00, 0x41, 0x03, 0x8e, ...IP6],
  'frame relay SNAP': [0x18, 0x41, 0x03, 0x00, 0x80, 0, 0, 0, 0x08, 0x00, ...IP4],
  'LE header + Ethernet': [0x00, 0x01, ...ETH4],
  'LE control marker + Ethernet': [0xff, 0x00, ...ETH4],
  'OSI NLPID': [0xfe, 0xfe, 0x03, 0xcc, ...IP4],
  'bridged Ethernet': [0xaa, 0xaa, 0x03, 0x00, 0x80, 0xc2, 0x00, 0x07, 0, 0, ...ETH4],
};

describe.skipIf(!hasTool('tshark'))('ATM and bridged frames agree with tshark', () => {
  const dir = tempDir('scanline-atm-');
  afterAll(() => dir.remove());

  it('SunATM: every traffic type, signalling and ILMI channels, each body and its cuts', async () => {
    const cases: { body: string; label: string; frame: number[] }[] = [];
    const channels = [
      [0, 5],
      [0, 16],
      [1, 100],
    ] as const;
    for (const [name, body] of Object.entries(ATM_BODIES)) {
      for (let flags = 0; flags < 16; flags++) {
        for (const dir of [0, 0x80]) {
          for (const [vpi, vci] of channels) {
            cases.push({
              body: name,
              label: `${name}, type ${flags}, VPI/VCI ${vpi}/${vci}`,
              frame: [flags | dir, vpi, vci >> 8, vci & 0xff, ...body],
            });
          }
        }
      }
      for (let cut = 0; cut < 32; cut++) {
        for (const flags of [0, 1, 2, 3]) {
          cases.push({
            body: name,
            label: `${name} cut at ${cut}, type ${flags}`,
            frame: [flags, 1, 0, 100, ...body.slice(0, cut)],
          });
        }
      }
    }
    const { differ, theirs } = await sweepWithTshark(
      dir,
      'sunatm',
      123,
      cases.map((c) => c.frame),
      (i) => cases[i]!.label,
      // IPv6 behind tshark's IPv4 dissector: its ip:ipv6 frame view has no ip.src (the
      // judge's counts do take the IPv6 source); we decode the IPv6.
      (ours, tshark) => ours.ipLayer === 6 && tshark.ipLayer === 4 && tshark.src === null,
    );
    expect(differ).toEqual([]);
    // Every way to IP was reached (by some traffic type): all bodies but PPP IPv6 (the
    // guess takes only 0x21 for PPP), raw IPv6 (its source is not in tshark's frame view,
    // see above) and LANE control traffic.
    const reached = keysWithSource(cases, theirs, (c) => c.body);
    const expected = Object.keys(ATM_BODIES).filter(
      (b) => !['raw IPv6', 'PPP IPv6', 'LE control marker + Ethernet'].includes(b),
    );
    expect(reached).toEqual(expected.sort());
  });

  it('LLC/SNAP 00-80-C2 in 802.3: every bridged PID, control field and pad', async () => {
    const inners: Record<string, number[]> = {
      'Ethernet IPv4': ETH4,
      'Ethernet IPv6': ETH6,
      'Token Ring': TOKEN_RING,
      FDDI: FDDI,
    };
    const pids = [...Array.from({ length: 0x12 }, (_, i) => i), 0x0100, 0x0701, 0xffff];
    // UI, I (two bytes), U with the poll bit, another U, S (two bytes).
    const controls = [[0x03], [0x00, 0x00], [0x13], [0xf3], [0x01, 0x00]];
    const cases: { label: string; frame: number[] }[] = [];
    for (const pid of pids) {
      for (const control of controls) {
        for (let pad = 0; pad <= 4; pad++) {
          for (const [name, inner] of Object.entries(inners)) {
            for (const fcs of [false, true]) {
              const llc = [
                0xaa,
                0xaa,
                ...control,
                0x00,
                0x80,
                0xc2,
                pid >> 8,
                pid & 0xff,
                ...Array(pad).fill(0),
                ...inner,
                ...(fcs ? [0, 0, 0, 0] : []),
              ];
              cases.push({
                label: `PID 0x${pid.toString(16)}, control ${control[0]}, pad ${pad}, ${name}${fcs ? ' + FCS' : ''}`,
                frame: [...MACS, llc.length >> 8, llc.length & 0xff, ...llc],
              });
            }
          }
        }
      }
    }
    const { differ, theirs } = await sweepWithTshark(
      dir,
      'llc-bridged',
      1,
      cases.map((c) => c.frame),
      (i) => cases[i]!.label,
    );
    expect(differ).toEqual([]);
    // Each bridged kind reached IP somewhere (PIDs 1, 3, 4, 7, 9, 10).
    expect(keysWithSource(cases, theirs, (c) => c.label.split(',')[0]!)).toEqual(
      ['0x1', '0x3', '0x4', '0x7', '0x9', '0xa'].map((p) => `PID ${p}`),
    );
  });
});

describe.skipIf(!hasTool('tshark'))('frame relay bridged frames agree with tshark', () => {
  const dir = tempDir('scanline-fr-bridged-');
  afterAll(() => dir.remove());

  it('SNAP 00-80-C2 after the NLPID (with and without a padding byte): every PID and pad', async () => {
    const inners: Record<string, number[]> = { Ethernet: ETH4, 'Token Ring': TOKEN_RING, FDDI };
    const cases: { label: string; frame: number[] }[] = [];
    for (let pid = 0; pid < 0x12; pid++) {
      for (let pad = 0; pad <= 4; pad++) {
        for (const [name, inner] of Object.entries(inners)) {
          for (const nlpidPad of [false, true]) {
            cases.push({
              label: `PID 0x${pid.toString(16)}, pad ${pad}, ${name}${nlpidPad ? ', NLPID pad' : ''}`,
              frame: [
                0x18,
                0x41,
                0x03,
                ...(nlpidPad ? [0x00] : []),
                0x80,
                0x00,
                0x80,
                0xc2,
                0,
                pid,
                ...Array(pad).fill(0),
                ...inner,
              ],
            });
          }
        }
      }
    }
    const { differ, theirs } = await sweepWithTshark(
      dir,
      'fr-bridged',
      107,
      cases.map((c) => c.frame),
      (i) => cases[i]!.label,
    );
    expect(differ).toEqual([]);
    expect(keysWithSource(cases, theirs, (c) => c.label.split(',')[0]!)).toEqual(
      ['0x1', '0x3', '0x4', '0x7', '0x9', '0xa'].map((p) => `PID ${p}`),
    );
  });
});

describe.skipIf(!hasTool('tshark'))('Juniper ATM PICs agree with tshark', () => {
  const dir = tempDir('scanline-juniper-atm-');
  afterAll(() => dir.remove());

  const bodies: Record<string, number[]> = {
    'SNAP IPv4': [...SNAP_IP4, ...IP4],
    'OSI NLPID': [0xfe, 0xfe, 0x03, 0xcc, ...IP4],
    'raw IPv4': IP4,
    'raw IPv6': IP6,
    'PPP IPv4': [0x00, 0x21, ...IP4],
    'PPP IPv6': [0x00, 0x57, ...IP6],
    'PPP in HDLC framing': [0xff, 0x03, 0x00, 0x21, ...IP4],
    'UI + NLPID IPv4': [0x03, 0xcc, ...IP4],
    'UI + NLPID IPv6': [0x03, 0x8e, ...IP6],
    Ethernet: ETH4,
    'pad + Ethernet': [0, 0, ...ETH4],
  };
  // Cookies: zero, a gap count (ATM2's Ethernet), OAM marks of ATM1 (0x80 first) and ATM2.
  const cookies = [
    [0, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0x01, 0, 0, 0, 0],
    [0, 0, 0, 0x3f, 0, 0, 0, 0],
    [0, 0, 0, 0x40, 1, 2, 3, 4],
    [0x80, 0, 0, 1, 0, 0, 0, 0],
    [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0],
  ];

  it.each([
    ['ATM1', 137, 4],
    ['ATM2', 135, 8],
  ] as const)(
    '%s: every body behind each cookie, in and out, and their cuts',
    async (name, linkType, cookieLength) => {
      const cases: { body: string; label: string; frame: number[] }[] = [];
      const magic = [0x4d, 0x47, 0x43];
      for (const [body, bytes] of Object.entries(bodies)) {
        for (const flags of [0x00, 0x01]) {
          cookies.forEach((cookie, c) => {
            cases.push({
              body,
              label: `${body}, flags ${flags}, cookie ${c}`,
              frame: [...magic, flags, ...cookie.slice(0, cookieLength), ...bytes],
            });
          });
        }
        const whole = [
          ...magic,
          0x80,
          0,
          6,
          1,
          4,
          0,
          0,
          0,
          1,
          ...cookies[0]!.slice(0, cookieLength),
        ];
        for (let cut = 0; cut <= whole.length + 24; cut++) {
          cases.push({
            body,
            label: `${body} cut at ${cut}`,
            frame: [...whole, ...bytes].slice(0, cut),
          });
        }
      }
      const { differ, theirs } = await sweepWithTshark(
        dir,
        `juniper-${name}`,
        linkType,
        cases.map((c) => c.frame),
        (i) => cases[i]!.label,
      );
      expect(differ).toEqual([]);
      const reached = keysWithSource(cases, theirs, (c) => c.body);
      const atm2Only = ['PPP IPv4', 'PPP IPv6', 'Ethernet'];
      const never = ['PPP in HDLC framing', 'pad + Ethernet'];
      const expected = Object.keys(bodies).filter(
        (b) => !never.includes(b) && (linkType === 135 || !atm2Only.includes(b)),
      );
      expect(reached).toEqual(expected.sort());
    },
  );
});

describe('a SunATM record too short for its pseudo-header', () => {
  const parse = (bytes: Uint8Array) => {
    let packets = 0;
    const parser = new CaptureParser(() => {
      packets++;
    });
    parser.push(bytes);
    parser.end();
    return { packets, error: parser.error };
  };
  const frames = [
    [2, 0, 0, 32, ...IP4],
    [2, 0, 0],
    [2, 0, 0, 32],
  ];

  it('is damage in a pcap file, after the records before it', () => {
    const records = frames.map((f, i) => ({
      sec: 1_700_000_000 + i,
      frac: 0,
      data: Uint8Array.from(f),
    }));
    const { packets, error } = parse(pcapFile(records, { linkType: 123 }));
    expect(packets).toBe(1);
    expect(error?.message).toMatch(/record 2: SunATM record of 3 bytes, too small for its 4-byte/);
    expect(error?.record).toBe(2);
  });

  it('and so is an empty record of PPP with a direction byte', () => {
    const records = [[0, 0x21, ...IP4], []].map((f, i) => ({
      sec: 1_700_000_000 + i,
      frac: 0,
      data: Uint8Array.from(f),
    }));
    const { packets, error } = parse(pcapFile(records, { linkType: 204 }));
    expect(packets).toBe(1);
    expect(error?.message).toMatch(
      /record 2: PPP with direction record of 0 bytes, too small for its 1-byte pseudo-header/,
    );
  });

  it('and in a pcapng file', () => {
    const w = new PcapngWriter().shb().idb(123);
    for (const f of frames) w.epb(0, 0n, Uint8Array.from(f));
    const { packets, error } = parse(w.bytes());
    expect(packets).toBe(1);
    expect(error?.message).toMatch(/pcapng: record 2: SunATM record of 3 bytes/);
  });
});
