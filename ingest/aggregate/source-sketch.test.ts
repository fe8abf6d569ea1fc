import { describe, expect, it } from 'vitest';
import {
  fmix32,
  ipv4Key,
  ipv4KeyHi,
  ipv4KeyLo,
  ipv6Key,
  ipv6KeyInto,
  SourceSketch,
} from './source-sketch';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function shuffle<T>(a: T[], next: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

const STD_ERR = 1.04 / Math.sqrt(16384);

/** Inverse of fmix32, to show it is a bijection. */
function unfmix32(h: number): number {
  const invXorShift = (x: number, s: number): number => {
    let r = x;
    for (let i = 0; i < 32; i += s) r = x ^ (r >>> s);
    return r >>> 0;
  };
  h = invXorShift(h, 16);
  h = Math.imul(h, 0x7ed1b41d); // inverse of 0xc2b2ae35 mod 2^32
  h = invXorShift(h >>> 0, 13);
  h = Math.imul(h, 0xa5cb9243); // inverse of 0x85ebca6b mod 2^32
  h = invXorShift(h >>> 0, 16);
  return h >>> 0;
}

describe('keys', () => {
  it('fmix32 is invertible (so IPv4 keys are injective)', () => {
    expect(Math.imul(0xc2b2ae35, 0x7ed1b41d) >>> 0).toBe(1);
    expect(Math.imul(0x85ebca6b, 0xa5cb9243) >>> 0).toBe(1);
    const next = rng(5);
    let wrong = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = next();
      if (unfmix32(fmix32(x)) !== x) wrong++;
    }
    expect(wrong).toBe(0);
    for (const x of [0, 1, 0xffffffff, 0x80000000]) expect(unfmix32(fmix32(x))).toBe(x);
  });

  it('ipv4Key gives the halves used by addIPv4', () => {
    const ip = 0xc0000201;
    expect(ipv4Key(ip)).toEqual([ipv4KeyHi(ip), ipv4KeyLo(ip)]);
    const a = new SourceSketch();
    a.addIPv4(ip);
    const b = new SourceSketch();
    b.addKey(...ipv4Key(ip));
    expect(a.serialize()).toEqual(b.serialize());
  });

  it('ipv6 keys: distinct for nearby addresses, IPv4-mapped equal to IPv4', () => {
    const seen = new Set<string>();
    const addr = new Uint8Array(16);
    addr[0] = 0x20;
    addr[1] = 0x01;
    for (let i = 0; i < 100_000; i++) {
      addr[14] = i >> 8;
      addr[15] = i & 255;
      addr[7] = i >> 16;
      seen.add(ipv6Key(addr).join(':'));
    }
    expect(seen.size).toBe(100_000);
    const mapped = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1]);
    expect(ipv6Key(mapped)).toEqual(ipv4Key(0xc0000201));
    const out = new Uint32Array(4);
    ipv6KeyInto(addr, out, 2);
    expect([out[2], out[3]]).toEqual(ipv6Key(addr));
  });
});

describe('SourceSketch exact mode', () => {
  it('counts exactly up to EXACT_LIMIT, with duplicates', () => {
    expect(SourceSketch.EXACT_LIMIT).toBe(2048);
    for (const n of [0, 1, 2, 7, 100, 1000, 2047, 2048]) {
      const s = new SourceSketch();
      for (let rep = 0; rep < 3; rep++) for (let i = 0; i < n; i++) s.addIPv4(0x0a000000 + i);
      expect(s.isExact()).toBe(true);
      expect(s.estimate()).toBe(n);
    }
    const s = new SourceSketch();
    for (let i = 0; i <= SourceSketch.EXACT_LIMIT; i++) s.addIPv4(i);
    expect(s.isExact()).toBe(false);
    expect(Math.abs(s.estimate() - 2049)).toBeLessThan(3 * STD_ERR * 2049);
  });

  it('holds the all-zero key and IPv4 0.0.0.0', () => {
    const s = new SourceSketch();
    s.addKey(0, 0);
    s.addKey(0, 0);
    s.addIPv4(0);
    s.addKey(0, 1);
    expect(s.estimate()).toBe(3);
    const t = SourceSketch.deserialize(s.serialize());
    expect(t.estimate()).toBe(3);
    expect(t.serialize()).toEqual(s.serialize());
  });

  it('counts IPv4 and IPv6 sources together', () => {
    const s = new SourceSketch();
    const a = new Uint8Array(16);
    a[0] = 0x2a;
    for (let i = 0; i < 300; i++) {
      a[15] = i & 255;
      a[14] = i >> 8;
      s.addIPv6(a);
      s.addIPv4(i);
    }
    expect(s.estimate()).toBe(600);
  });

  it('merges exact sketches by set union, turning into HLL past the limit', () => {
    const a = new SourceSketch();
    const b = new SourceSketch();
    for (let i = 0; i < 1500; i++) a.addIPv4(i);
    for (let i = 1000; i < 2000; i++) b.addIPv4(i);
    a.merge(b);
    expect(a.isExact()).toBe(true);
    expect(a.estimate()).toBe(2000);
    expect(b.estimate()).toBe(1000);
    const c = new SourceSketch();
    for (let i = 1900; i < 2100; i++) c.addIPv4(i);
    a.merge(c);
    expect(a.isExact()).toBe(false);
    expect(Math.abs(a.estimate() - 2100)).toBeLessThan(3 * STD_ERR * 2100);
    a.merge(a);
    expect(c.isExact()).toBe(true);
  });
});

describe('determinism', () => {
  const cases = [
    ['exact', 700],
    ['crossing the limit', 3000],
    ['HLL', 60_000],
  ] as const;

  it.each(cases)('same keys -> same bytes under any insertion / merge order (%s)', (_, n) => {
    const next = rng(n);
    const keys = Array.from({ length: n }, () => [next(), next()] as [number, number]);
    const ref = new SourceSketch();
    for (const [h, l] of keys) ref.addKey(h, l);
    const want = ref.serialize();
    for (let trial = 0; trial < 4; trial++) {
      // Insert in a shuffled order with repeats, split over k sketches...
      const order = shuffle([...keys, ...keys.slice(0, n >> 2)], next);
      const k = 1 + (next() % 9);
      const parts = Array.from({ length: k }, () => new SourceSketch());
      order.forEach(([h, l], i) => {
        parts[(i * 7 + trial) % k]!.addKey(h, l);
      });
      // ...then merge them in a shuffled order, sometimes as a tree.
      shuffle(parts, next);
      let merged: SourceSketch;
      if (trial % 2) {
        let level = parts;
        while (level.length > 1) {
          const up: SourceSketch[] = [];
          for (let i = 0; i < level.length; i += 2) {
            const x = level[i]!;
            const y = level[i + 1];
            if (y) x.merge(y);
            up.push(x);
          }
          level = up;
        }
        merged = level[0]!;
      } else {
        merged = new SourceSketch();
        for (const p of parts) merged.merge(SourceSketch.deserialize(p.serialize()));
      }
      expect(merged.serialize()).toEqual(want);
      // The same parts merged from their bytes, starting from one of them.
      const fromBytes = SourceSketch.deserialize(parts[0]!.serialize());
      for (const p of parts.slice(1)) fromBytes.mergeSerialized(p.serialize());
      expect(fromBytes.serialize()).toEqual(want);
    }
  });
});

describe('estimates', () => {
  // n -> seeds; relative error must stay within 3 standard errors (1.04 / sqrt(2^14)).
  const plan: Array<[number, number]> = [
    [1_000, 3],
    [2_500, 8],
    [5_000, 8],
    [10_000, 8],
    [30_000, 6],
    [100_000, 6],
    [1_000_000, 4],
    [10_000_000, 2],
  ];
  it.each(plan)('n = %i within 3 standard errors over %i seeds', (n, seeds) => {
    const errors: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const s = new SourceSketch();
      if (seed % 2) {
        // consecutive IPv4 addresses from a seeded base: the structured, realistic case
        const base = rng(seed * 7919)();
        for (let i = 0; i < n; i++) s.addIPv4((base + i) >>> 0);
      } else {
        const next = rng(seed * 104729 + n);
        for (let i = 0; i < n; i++) s.addKey(next(), next());
      }
      const rel = (s.estimate() - n) / n;
      errors.push(rel);
      expect(Math.abs(rel), `n=${n} seed=${seed} estimate=${s.estimate()}`).toBeLessThan(
        3 * STD_ERR,
      );
    }
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    expect(Math.abs(mean)).toBeLessThan((3 * STD_ERR) / Math.sqrt(errors.length));
  });
});

describe('serialization', () => {
  it('round-trips exact and HLL sketches, also from an offset Buffer', () => {
    for (const n of [0, 5, 2048, 2049, 50_000]) {
      const s = new SourceSketch();
      for (let i = 0; i < n; i++) s.addIPv4(i * 2654435761);
      const bytes = s.serialize();
      expect(bytes[0]).toBe(1);
      const padded = Buffer.alloc(bytes.length + 13);
      padded.set(bytes, 7);
      const t = SourceSketch.deserialize(padded.subarray(7, 7 + bytes.length));
      expect(t.isExact()).toBe(s.isExact());
      expect(t.estimate()).toBe(s.estimate());
      expect(t.serialize()).toEqual(bytes);
    }
  });

  it('sizes: exact 8 bytes a key, HLL 12 KiB', () => {
    const s = new SourceSketch();
    expect(s.serialize().length).toBe(8);
    for (let i = 0; i < 100; i++) s.addIPv4(i);
    expect(s.serialize().length).toBe(8 + 800);
    for (let i = 0; i < 5000; i++) s.addIPv4(i);
    expect(s.serialize().length).toBe(4 + 12288);
  });

  it('rejects malformed bytes with a clear error', () => {
    const exact = new SourceSketch();
    exact.addIPv4(1);
    exact.addIPv4(2);
    const e = exact.serialize();
    const big = new SourceSketch();
    for (let i = 0; i < 5000; i++) big.addIPv4(i);
    const h = big.serialize();
    const bad = (b: Uint8Array | number[], msg: RegExp): void => {
      expect(() => SourceSketch.deserialize(Uint8Array.from(b))).toThrow(msg);
      // mergeSerialized checks the same, except the order of exact keys.
      if (!/not sorted/.test(msg.source)) {
        expect(() => new SourceSketch().mergeSerialized(Uint8Array.from(b))).toThrow(msg);
      }
    };
    bad([], /shorter than the header/);
    bad([2, 0, 0, 0, 0, 0, 0, 0], /version 2/);
    bad([1, 9, 0, 0], /unknown sketch kind 9/);
    bad([1, 0, 0, 1, 0, 0, 0, 0], /reserved/);
    bad([1, 0, 0, 0], /truncated/);
    bad(e.subarray(0, e.length - 1), /needs 24 bytes, got 23/);
    bad([...e, 0], /needs 24 bytes, got 25/);
    const swapped = Uint8Array.from(e);
    swapped.set(e.subarray(16, 24), 8);
    swapped.set(e.subarray(8, 16), 16);
    bad(swapped, /not sorted and unique/);
    const dup = Uint8Array.from(e);
    dup.set(e.subarray(8, 16), 16);
    bad(dup, /not sorted and unique/);
    const tooMany = new Uint8Array(8);
    new DataView(tooMany.buffer).setUint32(4, 5000);
    tooMany[0] = 1;
    bad(tooMany, /EXACT_LIMIT/);
    bad(h.subarray(0, 100), /needs 12292 bytes/);
    const p12 = Uint8Array.from(h);
    p12[2] = 12;
    bad(p12, /precision 12/);
    const reg = Uint8Array.from(h);
    reg[4] = 0xff; // register 0 = 63 > 51
    bad(reg, /register 0 out of range/);
    expect(() => SourceSketch.deserialize('nope' as unknown as Uint8Array)).toThrow(/Uint8Array/);
  });
});

describe('volume (speed figures come from ingest/bench/sketch-bench.ts)', () => {
  it('10M adds of 1M distinct addresses, and 1000 small sketches merged', () => {
    const s = new SourceSketch();
    for (let i = 0; i < 10_000_000; i++) s.addIPv4((i * 7) % 1_000_000);
    expect(Math.abs(s.estimate() - 1e6) / 1e6).toBeLessThan(3 * STD_ERR);

    const smalls = Array.from({ length: 1000 }, (_, k) => {
      const x = new SourceSketch();
      for (let i = 0; i < 20; i++) x.addIPv4(k * 10 + i);
      return x;
    });
    const all = new SourceSketch();
    for (const x of smalls) all.merge(x);
    expect(Math.abs(all.estimate() - 10_010) / 10_010).toBeLessThan(3 * STD_ERR);
    // merging is order-independent here too
    const rev = new SourceSketch();
    for (const x of [...smalls].reverse()) rev.merge(x);
    expect(rev.serialize()).toEqual(all.serialize());
  });
});

describe('frozen sketches in shared slabs', () => {
  it('sketches across many slabs keep their own keys, through serialize, merge and change', () => {
    const n = 200_000; // 28-44 bytes each: several 1 MB slabs
    const keysOf = (i: number): number[] => {
      const out: number[] = [];
      for (let k = 0; k <= i % 3; k++) out.push(i + 1, (i * 7 + k) >>> 0);
      return out;
    };
    const sketches = Array.from({ length: n }, (_, i) => {
      const keys = keysOf(i);
      return SourceSketch.ofSortedKeys(Uint32Array.from(keys), keys.length / 2);
    });
    const canonical = (i: number): Uint8Array => {
      const s = new SourceSketch();
      const keys = keysOf(i);
      for (let k = 0; k < keys.length; k += 2) s.addKey(keys[k]!, keys[k + 1]!);
      return s.serialize();
    };
    for (const i of [0, 1, 2, 40_000, 99_999, n - 1]) {
      expect(sketches[i]!.serialize(), `sketch ${i}`).toEqual(canonical(i));
      expect(sketches[i]!.heldBytes()).toBe(canonical(i).byteLength);
    }
    // A changed sketch thaws into its own table; its neighbours in the slab are untouched.
    sketches[50_000]!.addKey(0xffffffff, 1);
    sketches[50_001]!.merge(sketches[50_002]!);
    expect(sketches[50_000]!.estimate()).toBe(keysOf(50_000).length / 2 + 1);
    expect(sketches[49_999]!.serialize()).toEqual(canonical(49_999));
    expect(sketches[50_002]!.serialize()).toEqual(canonical(50_002));
    const merged = new SourceSketch();
    merged.mergeSerialized(canonical(50_001));
    merged.mergeSerialized(canonical(50_002));
    expect(sketches[50_001]!.serialize()).toEqual(merged.serialize());
    let total = 0;
    let expected = 0;
    sketches.forEach((s, i) => {
      total += s.estimate();
      expected += keysOf(i).length / 2;
    });
    // One key added to 50,000; 50,001 gained 50,002's two.
    expect(total).toBe(expected + 1 + 2);
  });
});
