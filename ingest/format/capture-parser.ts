/**
 * The capture-file core: no I/O. Feed it chunks of the (decompressed) file, of any size, with
 * push(); call end() at end of input. It recognises classic pcap (all magics) and pcapng, and
 * calls onFrame for every packet record with the reused PacketRecord's frame fields filled in
 * (index, offset, time, link type, lengths, frame bytes). Decoding is the caller's business.
 *
 * Records are parsed in place in the chunk; only a record that straddles two chunks is copied,
 * into a carry buffer that holds just that partial tail (grown when a record is bigger, never
 * shrunk). Nothing is allocated per packet.
 *
 * Errors stop the parse (like wiretap, tshark's reader, which is our judge): packets before the
 * damage have been delivered; `error` says what and where. The rules (ingest/format/README.md):
 *  - pcap: magics a1b2c3d4 / a1b23c4d (ns) / a1b2cd34 (modified, 24-byte record headers) /
 *    Ixia 1c0001ab / 1c0001ac (28-byte file header, microseconds as tshark 4.0 reads them),
 *    in either byte order; major version < 2 is
 *    an error; versions 2.0-2.2 and 543 have incl_len / orig_len swapped, 2.3 maybe swapped;
 *    reserved link-type bits set is an error.
 *  - A record whose captured length exceeds wiretap's maximum for the link type (262144 for
 *    nearly all; maxCapLenForLinkType) is an error; the header snap length is not used to reject
 *    records (wiretap does not either).
 *  - pcapng: block lengths are rounded up to 4 (as wiretap does); a block shorter than its type's
 *    minimum, longer than 128 MiB + 128 KiB + 28, whose trailing length differs, whose packet does
 *    not fit, whose interface id is unknown, or whose options overrun is an error. New SHBs
 *    start a new section (byte order, interfaces). EPB, obsolete PB and SPB are packets (SPB:
 *    interface 0, captured length min(original, snaplen), no time stamp: 0 s, as tshark has no
 *    time for it); other blocks (NRB, ISB, DSB, custom, systemd journal, sysdig...) are skipped.
 *  - A file that ends inside a header, record or block is an error (truncated).
 */
import { erfHeaderLength, erfTime } from '../decode/erf';
import {
  LINKTYPE_ERF,
  LINKTYPE_PPP_WITH_DIR,
  LINKTYPE_SUNATM,
  linkTypeName,
  maxCapLenForLinkType,
} from '../decode/link-types';
import { PacketRecord } from '../decode/packet-record';
import { SUNATM_HEADER } from '../decode/sunatm';
import { MICROSECONDS, TickConverter, type TickUnit, tickUnit } from './timestamp';
import type { CaptureError } from './types';

export type FrameHandler = (rec: PacketRecord) => void;

const S_DETECT = 0;
const S_PCAP_HEADER = 1;
const S_PCAP = 2;
const S_PCAPNG = 3;
const S_DONE = 4;
/** Classic pcap whose record-header variant must be guessed from the first records. */
const S_PCAP_VARIANT = 5;

// Record-header variants of classic pcap that share a magic number (wiretap's names).
const V_PCAP = 0; // 16-byte record header
const V_SS990417 = 1; // Red Hat 6.1: standard magic, 24-byte header
const V_NOKIA = 2; // Nokia IPSO: standard magic, 20-byte header
const V_SS991029 = 3; // modified magic, 24-byte header
const V_SS990915 = 4; // SuSE 6.3: modified magic, 28-byte header
// (wiretap's names; AIX and the Nokia ATM pseudo-header are not handled)
const VARIANT_HEADER = [16, 24, 20, 24, 28];
const VARIANTS_STANDARD = [V_PCAP, V_SS990417, V_NOKIA];
const VARIANTS_MODIFIED = [V_SS991029, V_SS990915];

const LENGTHS_NOT_SWAPPED = 0;
const LENGTHS_SWAPPED = 1;
const LENGTHS_MAYBE_SWAPPED = 2;

const BT_SHB = 0x0a0d0d0a;

const BT_IDB = 1;
const BT_PB = 2;
const BT_SPB = 3;
const BT_NRB = 4;
const BT_ISB = 5;
const BT_EPB = 6;
const BT_DSB = 10;
const BT_CB_COPY = 0x00000bad;
const BT_CB_NO_COPY = 0x40000bad;

/** How a classic pcap file header reads, by its first four bytes read little-endian. */
interface PcapMagic {
  le: boolean;
  fracMul: number; // nanoseconds per unit of the record's fraction field
  family: number; // see magicFamily
  headerLength: number;
}

function pcapMagics(): ReadonlyMap<number, PcapMagic> {
  const m = new Map<number, PcapMagic>();
  const both = (magic: number, swapped: number, x: Omit<PcapMagic, 'le'>): void => {
    m.set(magic, { ...x, le: true });
    m.set(swapped, { ...x, le: false });
  };
  both(0xa1b2c3d4, 0xd4c3b2a1, { fracMul: 1000, family: 1, headerLength: 24 });
  both(0xa1b23c4d, 0x4d3cb2a1, { fracMul: 1, family: 0, headerLength: 24 }); // nanoseconds
  both(0xa1b2cd34, 0x34cdb2a1, { fracMul: 1000, family: 2, headerLength: 24 }); // modified
  // Ixia lcap variants: 4 more header bytes; tshark 4.0 reads both as microseconds (we
  // follow it).
  both(0x1c0001ab, 0xab01001c, { fracMul: 1000, family: 0, headerLength: 28 });
  both(0x1c0001ac, 0xac01001c, { fracMul: 1000, family: 0, headerLength: 28 });
  return m;
}
const PCAP_MAGICS = pcapMagics();

/** The bytes start a file this parser recognises (classic pcap of any magic, or pcapng). */
export function startsLikeCapture(b: Uint8Array): boolean {
  if (b.length < 4) return false;
  const m = le32(b, 0);
  return m === BT_SHB || PCAP_MAGICS.has(m);
}

/** wiretap's MAX_BLOCK_SIZE: an EPB with a maximum-size D-Bus packet and 128 KiB of options. */
const MAX_BLOCK = 32 + 128 * 1024 * 1024 + 131072;

function le32(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
}

function be32(b: Uint8Array, p: number): number {
  return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
}

function rd32(b: Uint8Array, p: number, le: boolean): number {
  return le ? le32(b, p) : be32(b, p);
}

function rd16(b: Uint8Array, p: number, le: boolean): number {
  return le ? b[p]! | (b[p + 1]! << 8) : (b[p]! << 8) | b[p + 1]!;
}

/** Rounds a 32-bit length up to a multiple of 4 (as a double, so 0xffffffff does not wrap). */
function round4(n: number): number {
  const r = n % 4;
  return r === 0 ? n : n + 4 - r;
}

export class CaptureParser {
  format: 'pcap' | 'pcapng' | null = null;
  /** Distinct link types in order of first appearance. */
  readonly linkTypes: number[] = [];
  packets = 0;
  /** Stream offset of the first byte not yet consumed (end of the last complete unit). */
  consumed = 0;
  firstSec = -1;
  firstNsec = -1;
  lastSec = -1;
  lastNsec = -1;
  error: CaptureError | null = null;
  /**
   * The input ended inside a header, record or block (or the gzip stream was cut): what a
   * capture still being written looks like, as opposed to data that is wrong.
   */
  cutShort = false;
  private hasTime = false;

  private state = S_DETECT;
  /** Bytes the next unit needs, counted from its start. */
  private need = 4;
  private carry = new Uint8Array(1 << 16);
  private carryLen = 0;
  private readonly rec: PacketRecord;
  private readonly onFrame: FrameHandler;
  private readonly decode: FrameHandler | null;

  // classic pcap
  private le = true;
  private recHdrLen = 16;
  private fileHdrLen = 24;
  private fracMul = 1000;
  private lengths = LENGTHS_NOT_SWAPPED;
  private linkType = 0;
  private maxCap = 262144;
  private snaplen = 0;
  /** 0: the magic fixes the record header; 1: standard magic; 2: modified magic. */
  private magicFamily = 0;

  // pcapng (per section; `le` is the section byte order)
  private sawShb = false;
  private ifLinkType: number[] = [];
  private ifSnap: number[] = [];
  private ifUnit: TickUnit[] = [];
  private ifOffset: number[] = [];
  private ifMaxCap: number[] = [];
  private readonly ticks = new TickConverter();

  /**
   * @param onFrame called for every packet record
   * @param rec the record to fill (reused for every packet)
   * @param decode called before onFrame (e.g. decodePacket); a separate, fixed function, so the
   *   call stays monomorphic whatever closure the consumer is
   */
  constructor(
    onFrame: FrameHandler,
    rec: PacketRecord = new PacketRecord(),
    decode: FrameHandler | null = null,
  ) {
    this.onFrame = onFrame;
    this.rec = rec;
    this.decode = decode;
  }

  /** Sees every chunk the parse consumes, in order (e.g. to hash decompressed input). */
  onChunk: ((chunk: Uint8Array) => void) | null = null;

  /** True once an error stopped the parse (further input is ignored). */
  get stopped(): boolean {
    return this.state === S_DONE;
  }

  /**
   * Consumes a chunk. The chunk may be reused by the caller as soon as this returns. Returns
   * false when parsing has stopped on an error.
   */
  push(chunk: Uint8Array): boolean {
    if (this.state === S_DONE) return false;
    if (this.onChunk !== null) this.onChunk(chunk);
    const len = chunk.length;
    let pos = 0;
    while (this.carryLen > 0) {
      const want = this.need - this.carryLen;
      if (want > 0) {
        const take = Math.min(want, len - pos);
        this.ensureCarry(this.carryLen + take);
        this.carry.set(
          take === len && pos === 0 ? chunk : chunk.subarray(pos, pos + take),
          this.carryLen,
        );
        this.carryLen += take;
        pos += take;
        if (this.carryLen < this.need) return true;
      }
      const used = this.parse(this.carry, 0, this.carryLen);
      if (this.state === S_DONE) return false;
      if (used === this.carryLen) {
        this.carryLen = 0;
      } else if (used > 0) {
        this.carry.copyWithin(0, used, this.carryLen);
        this.carryLen -= used;
      } else if (this.need <= this.carryLen) {
        this.fail('internal error: capture parser made no progress', this.packets + 1);
        return false;
      }
    }
    const stop = this.parse(chunk, pos, len);
    if (this.state === S_DONE) return false;
    const rest = len - stop;
    if (rest > 0) {
      this.ensureCarry(Math.max(rest, this.need));
      this.carry.set(chunk.subarray(stop, len), 0);
      this.carryLen = rest;
    }
    return true;
  }

  /** End of input: reports a truncated header / record / block, or an empty file. */
  end(): void {
    if (this.state === S_DONE) return;
    const have = this.carryLen;
    if (this.state === S_DETECT) {
      this.fail(
        have === 0
          ? 'empty file'
          : `not a capture file (only ${have} byte${have === 1 ? '' : 's'})`,
        0,
        0,
      );
      return;
    }
    if (this.state === S_PCAP_VARIANT) {
      this.settleVariant();
      if (!this.stopped) this.end();
      return;
    }
    if (have === 0) return;
    this.cutShort = true;
    const need = this.need > have ? this.need : have + 1;
    if (this.state === S_PCAP_HEADER) {
      this.fail(`truncated pcap file header (${have} of ${this.fileHdrLen} bytes)`, 0, 0);
    } else if (this.state === S_PCAP) {
      const what = have < this.recHdrLen ? 'record header' : 'record data';
      this.fail(
        `truncated pcap file: cut in the ${what} of record ${this.packets + 1} (${have} of ${need} bytes)`,
        this.packets + 1,
      );
    } else if (!this.sawShb) {
      this.fail(`truncated pcapng section header block (${have} of ${need} bytes)`, 0, 0);
    } else {
      this.fail(
        `truncated pcapng file: cut in a block at byte ${this.consumed} (${have} of ${need} bytes)`,
        this.packets + 1,
      );
    }
  }

  /**
   * Stops on an error raised outside the parser (decompression), at the current position.
   * `cut`: the input just ended early (records already complete still count, as at end of
   * input). Otherwise the data is corrupt: like wiretap, whose look at the first records of a
   * classic pcap (to tell its record-header variant) fails outright on corrupt data, a pcap
   * whose variant was still undecided then yields no packets.
   */
  failExternal(message: string, cut = true): void {
    if (this.state === S_DONE) return;
    if (cut) {
      this.settleVariant();
      if (this.stopped) return;
      this.cutShort = true;
    }
    this.fail(
      message,
      this.state === S_DETECT || this.state === S_PCAP_HEADER ? 0 : this.packets + 1,
    );
  }

  /** At end of input: decide a pending pcap variant on what there is and parse those records. */
  private settleVariant(): void {
    if (this.state !== S_PCAP_VARIANT) return;
    const have = this.carryLen;
    this.chooseVariant(this.carry, 0, have, true);
    if (have > 0) {
      const used = this.parse(this.carry, 0, have);
      if (this.stopped) return;
      this.carry.copyWithin(0, used, have);
      this.carryLen = have - used;
    }
  }

  private fail(message: string, record: number, offset = this.consumed): void {
    this.error = { message, record, offset };
    this.state = S_DONE;
  }

  private ensureCarry(size: number): void {
    if (size <= this.carry.length) return;
    let cap = this.carry.length * 2;
    while (cap < size) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.carry.subarray(0, this.carryLen));
    this.carry = next;
  }

  private addLinkType(lt: number): void {
    if (!this.linkTypes.includes(lt)) this.linkTypes.push(lt);
  }

  /** Parses whole units from b[pos..end); returns where it stopped (sets need). */
  private parse(b: Uint8Array, pos: number, end: number): number {
    for (;;) {
      switch (this.state) {
        case S_PCAP:
          return this.parsePcapRecords(b, pos, end);
        case S_PCAPNG:
          return this.parsePcapngBlocks(b, pos, end);
        case S_DETECT:
          if (end - pos < 4) {
            this.need = 4;
            return pos;
          }
          this.detect(b, pos);
          break;
        case S_PCAP_HEADER:
          if (end - pos < this.fileHdrLen) {
            this.need = this.fileHdrLen;
            return pos;
          }
          this.state = S_PCAP;
          if (!this.pcapHeader(b, pos)) return pos;
          pos += this.fileHdrLen;
          this.consumed += this.fileHdrLen;
          break;
        case S_PCAP_VARIANT:
          if (!this.chooseVariant(b, pos, end, false)) return pos;
          break;
        default:
          return pos;
      }
    }
  }

  private detect(b: Uint8Array, pos: number): void {
    const m = le32(b, pos);
    if (m === BT_SHB) {
      this.format = 'pcapng';
      this.state = S_PCAPNG;
      return;
    }
    const magic = PCAP_MAGICS.get(m);
    if (magic === undefined) {
      this.fail(notCaptureMessage(b, pos), 0, 0);
      return;
    }
    this.le = magic.le;
    this.fracMul = magic.fracMul;
    this.magicFamily = magic.family;
    this.fileHdrLen = magic.headerLength;
    this.format = 'pcap';
    this.state = S_PCAP_HEADER;
  }

  private pcapHeader(b: Uint8Array, pos: number): boolean {
    const le = this.le;
    const major = rd16(b, pos + 4, le);
    const minor = rd16(b, pos + 6, le);
    const network = rd32(b, pos + 20, le);
    if (major < 2) {
      this.fail(`pcap: major version ${major} unsupported`, 0, 0);
      return false;
    }
    if ((network & 0x03ff0000) !== 0) {
      this.fail(
        `pcap: network type reserved field not zero (0x${network.toString(16).padStart(8, '0')})`,
        0,
        0,
      );
      return false;
    }
    // Versions before 2.4 (and DG/UX's 543) are plain pcap with the standard magic; otherwise
    // the standard magic, and the modified magic always, need a look at the first records to
    // tell the record-header variant (as wiretap does).
    let fixed = true;
    if (major === 2 && minor < 3) this.lengths = LENGTHS_SWAPPED;
    else if (major === 2 && minor === 3) this.lengths = LENGTHS_MAYBE_SWAPPED;
    else if (major === 543) this.lengths = LENGTHS_SWAPPED;
    else fixed = false;
    if (this.magicFamily === 2 || (this.magicFamily === 1 && !fixed)) this.state = S_PCAP_VARIANT;
    this.snaplen = rd32(b, pos + 16, le);
    this.linkType = network & 0xffff;
    this.maxCap = maxCapLenForLinkType(this.linkType);
    this.addLinkType(this.linkType);
    return true;
  }

  /**
   * wiretap's guess (tshark 4.0) of the record-header variant for the standard and modified
   * magics. Each variant reads up to 3 records; a record's "figure of merit" counts what looks
   * wrong in its header (fraction >= 10^6, captured length above the maximum, the snap length
   * or the original length, original length above 128 MiB); the variant's figure is that of its
   * first record with a non-zero one (a short record counts 1; end of file after whole records
   * counts 0). The first variant with 0 wins, else the lowest (earliest on a tie). Returns false
   * (and sets need) while more bytes are needed to decide.
   */
  private chooseVariant(b: Uint8Array, pos: number, end: number, eof: boolean): boolean {
    const variants = this.magicFamily === 1 ? VARIANTS_STANDARD : VARIANTS_MODIFIED;
    let best = variants[0]!;
    let bestMerit = Number.POSITIVE_INFINITY;
    for (const v of variants) {
      const merit = this.variantMerit(b, pos, end, VARIANT_HEADER[v]!, eof);
      if (merit < 0) {
        this.need = -merit;
        return false;
      }
      if (merit === 0) {
        best = v;
        break;
      }
      if (merit < bestMerit) {
        bestMerit = merit;
        best = v;
      }
    }
    this.recHdrLen = VARIANT_HEADER[best]!;
    this.state = S_PCAP;
    return true;
  }

  /** The figure of merit of reading with h-byte record headers; -(bytes needed) when short. */
  private variantMerit(b: Uint8Array, pos: number, end: number, h: number, eof: boolean): number {
    let p = pos;
    for (let i = 0; i < 3; i++) {
      if (end - p < h) {
        if (!eof) return -(p + h - pos);
        return end === p ? 0 : 1;
      }
      const merit = this.headerMerit(b, p);
      if (merit !== 0) return merit;
      const incl = this.lastIncl;
      if (end - p - h < incl) return eof ? 1 : -(p + h + incl - pos);
      p += h + incl;
    }
    return 0;
  }

  private lastIncl = 0;

  private headerMerit(b: Uint8Array, p: number): number {
    const le = this.le;
    let incl = rd32(b, p + 8, le);
    let orig = rd32(b, p + 12, le);
    const lengths = this.lengths;
    if (lengths !== LENGTHS_NOT_SWAPPED && (lengths === LENGTHS_SWAPPED || incl > orig)) {
      const t = incl;
      incl = orig;
      orig = t;
    }
    this.lastIncl = incl;
    let merit = 0;
    if (rd32(b, p + 4, le) >= 1_000_000) merit++;
    if (incl > this.maxCap) merit++;
    if (orig > 128 * 1024 * 1024) merit++;
    if (incl > this.snaplen) merit++;
    if (incl > orig) merit++;
    return merit;
  }

  /** The hot loop of classic pcap. Counters live in locals and are written back on exit. */
  private parsePcapRecords(b: Uint8Array, pos: number, end: number): number {
    const rec = this.rec;
    const onFrame = this.onFrame;
    const decode = this.decode;
    const le = this.le;
    const hl = this.recHdrLen;
    const fracMul = this.fracMul;
    const maxCap = this.maxCap;
    const linkType = this.linkType;
    const erf = linkType === LINKTYPE_ERF;
    const pseudoHeader = erf || minRecordLength(linkType) > 0;
    const lengths = this.lengths;
    let packets = this.packets;
    let consumed = this.consumed;
    let hasTime = this.hasTime;
    let minSec = this.firstSec;
    let minNsec = this.firstNsec;
    let maxSec = this.lastSec;
    let maxNsec = this.lastNsec;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    // Fields that are the same for every record of this buffer.
    rec.hasTimestamp = true;
    rec.linkType = linkType;
    rec.interfaceId = 0;
    rec.frame = b;
    rec.frameView = dv;
    rec.frameViewOf = b;
    try {
      for (;;) {
        if (end - pos < hl) {
          this.need = hl;
          return pos;
        }
        let cap: number;
        let orig: number;
        cap = dv.getUint32(pos + 8, le);
        orig = dv.getUint32(pos + 12, le);
        if (lengths !== LENGTHS_NOT_SWAPPED && (lengths === LENGTHS_SWAPPED || cap > orig)) {
          const t = cap;
          cap = orig;
          orig = t;
        }
        if (cap > maxCap) {
          this.packets = packets;
          this.consumed = consumed;
          this.fail(
            `pcap: record ${packets + 1} has a ${cap}-byte packet, bigger than the maximum of ${maxCap}`,
            packets + 1,
          );
          return pos;
        }
        const total = hl + cap;
        if (end - pos < total) {
          this.need = total;
          return pos;
        }
        let sec: number;
        let nsec: number;
        sec = dv.getUint32(pos, le);
        nsec = dv.getUint32(pos + 4, le) * fracMul;
        if (nsec >= 1e9) {
          // Out-of-range fraction: carry whole seconds.
          const extra = Math.floor(nsec / 1e9);
          sec += extra;
          nsec -= extra * 1e9;
        }
        if (pseudoHeader) {
          const bad = pseudoHeaderProblem(linkType, b, pos + hl, cap);
          if (bad !== null) {
            this.packets = packets;
            this.consumed = consumed;
            this.fail(`pcap: record ${packets + 1}: ${bad}`, packets + 1);
            return pos;
          }
        }
        if (erf) {
          // wiretap takes a classic pcap record's time from its ERF header.
          const t = erfTime(b, pos + hl);
          sec = t.sec;
          nsec = t.nsec;
        }
        packets++;
        rec.index = packets;
        rec.offset = consumed;
        rec.tsSec = sec;
        rec.tsNsec = nsec;
        rec.capLen = cap;
        rec.origLen = orig;
        rec.frameStart = pos + hl;
        if (!hasTime) {
          hasTime = true;
          minSec = maxSec = sec;
          minNsec = maxNsec = nsec;
        } else if (sec > maxSec || (sec === maxSec && nsec > maxNsec)) {
          maxSec = sec;
          maxNsec = nsec;
        } else if (sec < minSec || (sec === minSec && nsec < minNsec)) {
          minSec = sec;
          minNsec = nsec;
        }
        consumed += total;
        pos += total;
        if (decode !== null) decode(rec);
        onFrame(rec);
      }
    } finally {
      this.packets = packets;
      this.consumed = consumed;
      this.hasTime = hasTime;
      this.firstSec = minSec;
      this.firstNsec = minNsec;
      this.lastSec = maxSec;
      this.lastNsec = maxNsec;
    }
  }

  private track(sec: number, nsec: number): void {
    if (!this.hasTime) {
      this.hasTime = true;
      this.firstSec = sec;
      this.firstNsec = nsec;
      this.lastSec = sec;
      this.lastNsec = nsec;
      return;
    }
    if (sec < this.firstSec || (sec === this.firstSec && nsec < this.firstNsec)) {
      this.firstSec = sec;
      this.firstNsec = nsec;
    }
    if (sec > this.lastSec || (sec === this.lastSec && nsec > this.lastNsec)) {
      this.lastSec = sec;
      this.lastNsec = nsec;
    }
  }

  private parsePcapngBlocks(b: Uint8Array, pos: number, end: number): number {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (;;) {
      const avail = end - pos;
      if (avail < 8) {
        this.need = 8;
        return pos;
      }
      let le = this.le;
      let type: number;
      let len: number;
      const isShb =
        b[pos] === 0x0a && b[pos + 1] === 0x0d && b[pos + 2] === 0x0d && b[pos + 3] === 0x0a;
      if (isShb) {
        // The byte order (and so the length) is only known from the byte-order magic.
        if (avail < 12) {
          this.need = 12;
          return pos;
        }
        type = BT_SHB;
        const bom = le32(b, pos + 8);
        if (bom === 0x1a2b3c4d) le = true;
        else if (bom === 0x4d3c2b1a) le = false;
        else {
          if (!this.sawShb) this.format = null;
          this.fail(
            this.sawShb
              ? `pcapng: unknown byte-order magic number 0x${bom.toString(16).padStart(8, '0')}`
              : notCaptureMessage(b, pos),
            this.sawShb ? this.packets + 1 : 0,
          );
          return pos;
        }
        len = round4(rd32(b, pos + 4, le));
        if (len < 28) {
          this.fail(
            `pcapng: total block length ${len} of an SHB is less than the minimum SHB size 28`,
            this.sawShb ? this.packets + 1 : 0,
          );
          return pos;
        }
      } else {
        if (!this.sawShb) {
          // Cannot happen: detection only enters this state on an SHB.
          this.fail('pcapng: first block is not a section header block', 0);
          return pos;
        }
        type = rd32(b, pos, le);
        len = round4(rd32(b, pos + 4, le));
        if (len > MAX_BLOCK) {
          this.fail(
            `pcapng: total block length ${len} is too large (> ${MAX_BLOCK})`,
            this.packets + 1,
          );
          return pos;
        }
        const min = minBlockLength(type);
        if (len < min) {
          this.fail(
            `pcapng: total block length ${len} of ${blockName(type)} is less than the minimum size ${min}`,
            this.packets + 1,
          );
          return pos;
        }
      }
      if (len > MAX_BLOCK) {
        this.fail(
          `pcapng: total block length ${len} is too large (> ${MAX_BLOCK})`,
          this.sawShb ? this.packets + 1 : 0,
        );
        return pos;
      }
      if (avail < len) {
        this.need = len;
        return pos;
      }
      const trailer = round4(rd32(b, pos + len - 4, le));
      if (trailer !== len) {
        this.fail(
          `pcapng: total block lengths (first ${len} and second ${trailer}) don't match`,
          this.sawShb ? this.packets + 1 : 0,
        );
        return pos;
      }
      let ok = true;
      switch (type) {
        case BT_EPB:
          ok = this.packetBlock(b, dv, pos, len, le, true);
          break;
        case BT_SHB:
          ok = this.sectionHeader(b, pos, len, le);
          break;
        case BT_IDB:
          ok = this.interfaceBlock(b, pos, len, le);
          break;
        case BT_SPB:
          ok = this.simplePacketBlock(b, dv, pos, len, le);
          break;
        case BT_PB:
          ok = this.packetBlock(b, dv, pos, len, le, false);
          break;
        case BT_ISB:
          ok = this.checkOptions(b, pos + 20, pos + len - 4, le);
          break;
        default:
          break;
      }
      if (!ok) return pos;
      this.consumed += len;
      pos += len;
    }
  }

  private sectionHeader(b: Uint8Array, pos: number, len: number, le: boolean): boolean {
    const record = this.sawShb ? this.packets + 1 : 0;
    const major = rd16(b, pos + 12, le);
    const minor = rd16(b, pos + 14, le);
    if (!(major === 1 && (minor === 0 || minor === 2))) {
      this.fail(`pcapng: unknown SHB version ${major}.${minor}`, record);
      return false;
    }
    if (!this.checkOptions(b, pos + 24, pos + len - 4, le, record)) return false;
    this.le = le;
    this.sawShb = true;
    this.ifLinkType.length = 0;
    this.ifSnap.length = 0;
    this.ifUnit.length = 0;
    this.ifOffset.length = 0;
    this.ifMaxCap.length = 0;
    return true;
  }

  private interfaceBlock(b: Uint8Array, pos: number, len: number, le: boolean): boolean {
    const linkType = rd16(b, pos + 8, le);
    const snap = rd32(b, pos + 12, le);
    let unit = MICROSECONDS;
    let offset = 0;
    let sawResol = false;
    let sawOffset = false;
    // Options: code, length, value padded to 4; code 0 ends them.
    let p = pos + 16;
    const end = pos + len - 4;
    while (p !== end) {
      if (end - p < 4) return this.optionError('Not enough data for option header');
      const code = rd16(b, p, le);
      const olen = rd16(b, p + 2, le);
      p += 4;
      const padded = round4(olen);
      if (padded > end - p)
        return this.optionError(`Not enough data to handle option of length ${olen}`);
      if (code === 0) break;
      if (code === 9 && olen === 1 && !sawResol) {
        sawResol = true;
        unit = tickUnit(b[p]!);
      } else if (code === 14 && olen === 8 && !sawOffset) {
        sawOffset = true;
        // Signed 64-bit seconds; exact up to 2^53.
        const lo = le ? le32(b, p) : be32(b, p + 4);
        const hi = le ? le32(b, p + 4) : be32(b, p);
        offset = (hi | 0) * 4294967296 + lo;
      }
      p += padded;
    }
    this.ifLinkType.push(linkType);
    this.ifSnap.push(snap);
    this.ifUnit.push(unit);
    this.ifOffset.push(offset);
    this.ifMaxCap.push(maxCapLenForLinkType(linkType));
    this.addLinkType(linkType);
    return true;
  }

  private optionError(what: string): boolean {
    this.fail(`pcapng: ${what}`, this.packets + 1);
    return false;
  }

  /** Walks (and validates) an options area without keeping anything. */
  private checkOptions(
    b: Uint8Array,
    p: number,
    end: number,
    le: boolean,
    record = this.packets + 1,
  ): boolean {
    while (p < end) {
      if (end - p < 4) {
        this.fail('pcapng: Not enough data for option header', record);
        return false;
      }
      const code = rd16(b, p, le);
      const olen = rd16(b, p + 2, le);
      p += 4;
      const padded = round4(olen);
      if (padded > end - p) {
        this.fail(`pcapng: Not enough data to handle option of length ${olen}`, record);
        return false;
      }
      if (code === 0) return true;
      p += padded;
    }
    return true;
  }

  private packetBlock(
    b: Uint8Array,
    dv: DataView,
    pos: number,
    len: number,
    le: boolean,
    enhanced: boolean,
  ): boolean {
    const ifid = enhanced ? rd32(b, pos + 8, le) : rd16(b, pos + 8, le);
    const hi = rd32(b, pos + 12, le);
    const lo = rd32(b, pos + 16, le);
    const cap = rd32(b, pos + 20, le);
    const orig = rd32(b, pos + 24, le);
    const name = enhanced ? 'an EPB' : 'a PB';
    const padded = round4(cap);
    if (len < 32 + padded) {
      this.fail(
        `pcapng: total block length ${len} of ${name} is too small for ${cap} bytes of packet data`,
        this.packets + 1,
      );
      return false;
    }
    if (ifid >= this.ifLinkType.length) {
      this.fail(
        `pcapng: interface index ${ifid} is not less than section interface count ${this.ifLinkType.length}`,
        this.packets + 1,
      );
      return false;
    }
    const maxCap = this.ifMaxCap[ifid]!;
    if (cap > maxCap) {
      this.fail(`pcapng: cap_len ${cap} is larger than ${maxCap}`, this.packets + 1);
      return false;
    }
    if (!this.pseudoHeaderOk(b, pos + 28, cap, ifid)) return false;
    const optStart = pos + 28 + padded;
    const optEnd = pos + len - 4;
    if (optStart < optEnd && !this.checkPacketOptions(b, optStart, optEnd, le)) return false;
    this.ticks.convert(hi, lo, this.ifUnit[ifid]!);
    const sec = this.ticks.sec + this.ifOffset[ifid]!;
    const nsec = this.ticks.nsec;
    this.deliver(b, dv, pos + 28, cap, orig, sec, nsec, true, ifid);
    return true;
  }

  /** EPB / PB options: structure plus the length rules wiretap enforces. */
  private checkPacketOptions(b: Uint8Array, p: number, end: number, le: boolean): boolean {
    while (p < end) {
      if (end - p < 4) return this.optionError('Not enough data for option header');
      const code = rd16(b, p, le);
      const olen = rd16(b, p + 2, le);
      p += 4;
      const padded = round4(olen);
      if (padded > end - p)
        return this.optionError(`Not enough data to handle option of length ${olen}`);
      if (code === 0) return true;
      if (code === 2 && olen !== 4)
        return this.optionError(`packet block flags option length ${olen} is not 4`);
      if (code === 3 && olen < 1)
        return this.optionError(`packet block hash option length ${olen} is < 1`);
      if (code === 4 && olen !== 8)
        return this.optionError(`packet block drop count option length ${olen} is not 8`);
      if (code === 5 && olen !== 8)
        return this.optionError(`packet block packet id option length ${olen} is not 8`);
      if (code === 6 && olen !== 4)
        return this.optionError(`packet block queue option length ${olen} is not 4`);
      if (code === 7 && olen < 1)
        return this.optionError(`packet block verdict option length ${olen} is < 1`);
      p += padded;
    }
    return true;
  }

  private simplePacketBlock(
    b: Uint8Array,
    dv: DataView,
    pos: number,
    len: number,
    le: boolean,
  ): boolean {
    const orig = rd32(b, pos + 8, le);
    if (this.ifLinkType.length === 0) {
      this.fail('pcapng: SPB appeared before any IDBs in the section', this.packets + 1);
      return false;
    }
    const snap = this.ifSnap[0]!;
    const cap = snap !== 0 && orig > snap ? snap : orig;
    if (len < 16 + round4(cap)) {
      this.fail(
        `pcapng: total block length ${len} of an SPB is too small for ${orig} bytes of packet data`,
        this.packets + 1,
      );
      return false;
    }
    const maxCap = this.ifMaxCap[0]!;
    if (cap > maxCap) {
      this.fail(`pcapng: cap_len ${cap} is larger than ${maxCap}`, this.packets + 1);
      return false;
    }
    if (!this.pseudoHeaderOk(b, pos + 12, cap, 0)) return false;
    this.deliver(b, dv, pos + 12, cap, orig, 0, 0, false, 0);
    return true;
  }

  /**
   * A pcapng record must hold its link type's pseudo-header (ERF headers, SunATM's 4 bytes,
   * a PPP direction byte), as wiretap checks.
   */
  private pseudoHeaderOk(b: Uint8Array, start: number, cap: number, ifid: number): boolean {
    const bad = pseudoHeaderProblem(this.ifLinkType[ifid]!, b, start, cap);
    if (bad === null) return true;
    this.fail(`pcapng: record ${this.packets + 1}: ${bad}`, this.packets + 1);
    return false;
  }

  private deliver(
    b: Uint8Array,
    dv: DataView,
    start: number,
    cap: number,
    orig: number,
    sec: number,
    nsec: number,
    hasTs: boolean,
    ifid: number,
  ): void {
    const rec = this.rec;
    const index = this.packets + 1;
    this.packets = index;
    rec.index = index;
    rec.offset = this.consumed;
    rec.tsSec = sec;
    rec.tsNsec = nsec;
    rec.hasTimestamp = hasTs;
    rec.linkType = this.ifLinkType[ifid]!;
    rec.interfaceId = ifid;
    rec.capLen = cap;
    rec.origLen = orig;
    rec.frame = b;
    rec.frameView = dv;
    rec.frameViewOf = b;
    rec.frameStart = start;
    this.track(sec, nsec);
    if (this.decode !== null) this.decode(rec);
    this.onFrame(rec);
  }
}

function minBlockLength(type: number): number {
  switch (type) {
    case BT_EPB:
    case BT_PB:
      return 32;
    case BT_IDB:
      return 20;
    case BT_SPB:
    case BT_NRB:
    case BT_CB_COPY:
    case BT_CB_NO_COPY:
      return 16;
    case BT_ISB:
      return 24;
    case BT_DSB:
      return 20;
    default:
      return 12;
  }
}

function blockName(type: number): string {
  switch (type) {
    case BT_EPB:
      return 'an EPB';
    case BT_PB:
      return 'a PB';
    case BT_IDB:
      return 'an IDB';
    case BT_SPB:
      return 'an SPB';
    case BT_NRB:
      return 'an NRB';
    case BT_ISB:
      return 'an ISB';
    case BT_DSB:
      return 'a DSB';
    case BT_CB_COPY:
    case BT_CB_NO_COPY:
      return 'a custom block';
    default:
      return `a block of type 0x${type.toString(16).padStart(8, '0')}`;
  }
}

function notCaptureMessage(b: Uint8Array, pos: number): string {
  const m = be32(b, pos);
  if (m === 0x28b52ffd) return 'zstd-compressed file: only gzip compression is supported';
  if (m === 0x04224d18) return 'lz4-compressed file: only gzip compression is supported';
  if (b[pos] === 0x1f && b[pos + 1] === 0x8b)
    return 'gzip data inside a gzip file: not a capture file';
  return `not a pcap or pcapng file (starts with ${[0, 1, 2, 3].map((i) => b[pos + i]!.toString(16).padStart(2, '0')).join(' ')})`;
}

/** The fewest bytes wiretap accepts in a record of a link type (its pseudo-header). */
function minRecordLength(linkType: number): number {
  if (linkType === LINKTYPE_SUNATM) return SUNATM_HEADER;
  return linkType === LINKTYPE_PPP_WITH_DIR ? 1 : 0;
}

/** What a record lacks of its link type's pseudo-header (wiretap's checks), or null. */
function pseudoHeaderProblem(
  linkType: number,
  b: Uint8Array,
  start: number,
  cap: number,
): string | null {
  const min = minRecordLength(linkType);
  if (cap < min) {
    return `${linkTypeName(linkType)} record of ${cap} bytes, too small for its ${min}-byte pseudo-header`;
  }
  if (linkType !== LINKTYPE_ERF) return null;
  const n = erfHeaderLength(b, start, cap);
  return typeof n === 'string' ? n : null;
}
