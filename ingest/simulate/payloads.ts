/**
 * Small UDP payloads typical of darknet probes (and DNS backscatter). Templates are
 * copied into a scratch buffer so a per-packet field (a DNS transaction id) can vary.
 */
import type { PayloadName } from './scenario-types';

function bytes(...parts: Array<string | number[]>): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'string') for (let i = 0; i < p.length; i++) out.push(p.charCodeAt(i));
    else out.push(...p);
  }
  return Uint8Array.from(out);
}

function dnsName(name: string): number[] {
  const out: number[] = [];
  for (const label of name.split('.')) {
    out.push(label.length);
    for (let i = 0; i < label.length; i++) out.push(label.charCodeAt(i));
  }
  out.push(0);
  return out;
}

const DNS_QUERY = bytes(
  [0, 0, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0],
  dnsName('example.com'),
  [0, 1, 0, 1],
);
const DNS_RESPONSE = bytes(
  [0, 0, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0],
  dnsName('example.net'),
  [0, 1, 0, 1],
  [0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 192, 0, 2, 1],
);
/** NTP v3 client request (mode 3), 48 bytes. */
const NTP = bytes([0x1b], new Array<number>(47).fill(0));
const SSDP = bytes(
  'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n',
);
const SIP = bytes(
  'OPTIONS sip:100@192.0.2.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5060\r\nMax-Forwards: 70\r\n' +
    'From: <sip:100@192.0.2.1>;tag=1\r\nTo: <sip:100@192.0.2.1>\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\n' +
    'Content-Length: 0\r\n\r\n',
);
/** SNMPv1 GetRequest, community "public", sysDescr.0. */
const SNMP = bytes([
  0x30, 0x26, 0x02, 0x01, 0x00, 0x04, 0x06, 0x70, 0x75, 0x62, 0x6c, 0x69, 0x63, 0xa0, 0x19, 0x02,
  0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06,
  0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00,
]);
/** NetBIOS name status query for '*'. */
const NETBIOS = bytes(
  [0, 0, 0, 0x10, 0, 1, 0, 0, 0, 0, 0, 0, 0x20],
  'CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  [0, 0, 0x21, 0, 1],
);
const ZEROS = new Uint8Array(16);
const NONE = new Uint8Array(0);

const TEMPLATES: Record<PayloadName, Uint8Array> = {
  none: NONE,
  'dns-query': DNS_QUERY,
  'dns-response': DNS_RESPONSE,
  ntp: NTP,
  ssdp: SSDP,
  sip: SIP,
  snmp: SNMP,
  netbios: NETBIOS,
  zeros: ZEROS,
};

const BY_PORT: Record<number, PayloadName> = {
  53: 'dns-query',
  123: 'ntp',
  1900: 'ssdp',
  5060: 'sip',
  161: 'snmp',
  137: 'netbios',
};

export class Payloads {
  private readonly scratch = new Uint8Array(512);

  /** The payload for a packet (a view of a scratch buffer, valid until the next call). */
  get(name: PayloadName | 'auto', dstPort: number, id: number): Uint8Array {
    const n: PayloadName = name === 'auto' ? (BY_PORT[dstPort] ?? 'zeros') : name;
    const t = TEMPLATES[n];
    const out = this.scratch.subarray(0, t.length);
    out.set(t);
    if (n === 'dns-query' || n === 'dns-response' || n === 'netbios') {
      out[0] = (id >>> 8) & 0xff;
      out[1] = id & 0xff;
    }
    return out;
  }
}
