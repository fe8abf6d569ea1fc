/**
 * Byte-level scanning of the ip-location-db CSV files (no per-field strings): numeric
 * IPv4 bounds, textual IPv6 bounds, two-letter country codes and quoted AS names.
 */

const COMMA = 0x2c;
const NL = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COLON = 0x3a;

/** Number of data lines (a last line without a newline counts). */
export function countLines(buf: Uint8Array): number {
  let n = 0;
  let pos = 0;
  const len = buf.length;
  while (pos < len) {
    const nl = buf.indexOf(NL, pos);
    if (nl < 0) return n + 1;
    if (nl > pos) n++;
    pos = nl + 1;
  }
  return n;
}

/** Country code as a small integer: 1 + (c1 - 'A') * 26 + (c2 - 'A'); 0 = unknown. */
export function countryCode(c1: number, c2: number): number {
  const a = (c1 & ~0x20) - 65;
  const b = (c2 & ~0x20) - 65;
  if (a < 0 || a > 25 || b < 0 || b > 25) return 0;
  return 1 + a * 26 + b;
}

/** Country codes as strings, indexed by `countryCode`; index 0 is 'ZZ'. */
export const COUNTRY_STRINGS: readonly string[] = (() => {
  const out = ['ZZ'];
  for (let a = 0; a < 26; a++) {
    for (let b = 0; b < 26; b++) out.push(String.fromCharCode(65 + a, 65 + b));
  }
  return out;
})();

export function countryIndex(cc: string): number {
  if (cc.length !== 2) return 0;
  return countryCode(cc.charCodeAt(0), cc.charCodeAt(1));
}

export class Scanner {
  pos = 0;
  line = 1;
  private readonly groups = new Uint16Array(8);

  constructor(
    readonly buf: Uint8Array,
    readonly file: string,
  ) {}

  get done(): boolean {
    // Blank trailing lines are tolerated.
    while (this.pos < this.buf.length) {
      const c = this.buf[this.pos]!;
      if (c !== NL && c !== CR) return false;
      if (c === NL) this.line++;
      this.pos++;
    }
    return true;
  }

  fail(what: string): never {
    throw new Error(`${this.file}: line ${this.line}: ${what}`);
  }

  /** A decimal unsigned integer followed by a comma or the end of the line. */
  uint(): number {
    const buf = this.buf;
    let p = this.pos;
    let v = 0;
    let digits = 0;
    for (;;) {
      const c = buf[p];
      if (c === undefined) break;
      const d = c - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
      digits++;
      p++;
    }
    if (digits === 0 || digits > 15) this.fail('expected a number');
    this.pos = p;
    return v;
  }

  comma(): void {
    if (this.buf[this.pos] !== COMMA) this.fail('expected a comma');
    this.pos++;
  }

  /** Two letters; returns countryCode (0 when not letters). */
  country(): number {
    const c1 = this.buf[this.pos] ?? 0;
    const c2 = this.buf[this.pos + 1] ?? 0;
    this.pos += 2;
    const code = countryCode(c1, c2);
    if (code === 0) this.fail('expected a two-letter country code');
    return code;
  }

  /** A textual IPv6 address, written as four big-endian words at out[o..o+3]. */
  ipv6(out: Uint32Array, o: number): void {
    const buf = this.buf;
    const g = this.groups;
    let n = 0;
    let gap = -1;
    let p = this.pos;
    if (buf[p] === COLON && buf[p + 1] === COLON) {
      gap = 0;
      p += 2;
    }
    for (;;) {
      const c = buf[p];
      if (c === undefined || c === COMMA || c === NL || c === CR) break;
      let v = 0;
      let digits = 0;
      for (;;) {
        const h = buf[p];
        if (h === undefined) break;
        let d: number;
        if (h >= 48 && h <= 57) d = h - 48;
        else if (h >= 97 && h <= 102) d = h - 87;
        else if (h >= 65 && h <= 70) d = h - 55;
        else break;
        v = (v << 4) | d;
        digits++;
        p++;
      }
      if (digits === 0 || digits > 4 || n >= 8) this.fail('malformed IPv6 address');
      g[n++] = v;
      if (buf[p] === COLON) {
        p++;
        if (buf[p] === COLON) {
          if (gap >= 0) this.fail('malformed IPv6 address');
          gap = n;
          p++;
        }
      }
    }
    if (gap < 0 ? n !== 8 : n > 7) this.fail('malformed IPv6 address');
    this.pos = p;
    // Expand: groups before the gap, zeros, groups after.
    const zeros = 8 - n;
    let k = 0;
    let high = 0;
    for (let i = 0; i < 8; i++) {
      const v = gap >= 0 && i >= gap && i < gap + zeros ? 0 : g[k++]!;
      if (i & 1) out[o + (i >> 1)] = (high | v) >>> 0;
      else high = (v << 16) >>> 0;
    }
  }

  /**
   * The rest of the line as a CSV field: [start, end) byte offsets of the raw text and
   * whether it was quoted (quoted text may hold doubled quotes). Consumes the newline.
   */
  restOfLine(span: Int32Array): boolean {
    const buf = this.buf;
    let p = this.pos;
    let quoted = false;
    if (buf[p] === QUOTE) {
      quoted = true;
      p++;
      span[0] = p;
      for (;;) {
        const c = buf[p];
        if (c === undefined) this.fail('unterminated quoted field');
        if (c === QUOTE) {
          if (buf[p + 1] === QUOTE) {
            p += 2;
            continue;
          }
          break;
        }
        p++;
      }
      span[1] = p;
      p++;
    } else {
      span[0] = p;
      while (p < buf.length && buf[p] !== NL && buf[p] !== CR) p++;
      span[1] = p;
    }
    this.endLineAt(p);
    return quoted;
  }

  /** Skips to the start of the next line (names never contain newlines). */
  skipLine(): void {
    const nl = this.buf.indexOf(NL, this.pos);
    this.pos = nl < 0 ? this.buf.length : nl + 1;
    this.line++;
  }

  endLine(): void {
    this.endLineAt(this.pos);
  }

  private endLineAt(p: number): void {
    const buf = this.buf;
    if (buf[p] === CR) p++;
    if (p < buf.length) {
      if (buf[p] !== NL) {
        this.pos = p;
        this.fail('unexpected data at end of line');
      }
      p++;
    }
    this.line++;
    this.pos = p;
  }
}
