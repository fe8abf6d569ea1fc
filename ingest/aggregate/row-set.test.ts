import { describe, expect, it } from 'vitest';
import { RowSet, sketchOf } from './row-set';
import { hllSlotOf, ipv4Key, ipv6Key, SourceSketch } from './source-sketch';

/** Keys and HLL slots of hosts, as the day builder precomputes them. */
function hostKeys(keys: [number, number][]): { keys: Uint32Array; slots: Uint32Array } {
  const k = new Uint32Array(2 * keys.length);
  const slots = new Uint32Array(keys.length);
  keys.forEach(([hi, lo], h) => {
    k[2 * h] = hi;
    k[2 * h + 1] = lo;
    slots[h] = hllSlotOf(hi, lo);
  });
  return { keys: k, slots };
}

function added(keys: [number, number][]): SourceSketch {
  const s = new SourceSketch();
  for (const [hi, lo] of keys) s.addKey(hi, lo);
  return s;
}

const hex = (s: SourceSketch) => Buffer.from(s.serialize()).toString('hex');

describe('sketchOf', () => {
  it.each([1, 2, 7, 2048, 2049, 4096, 4097, 30_000])(
    'gives the bytes of a sketch built key by key (%i hosts)',
    (n) => {
      const keys = Array.from({ length: n }, (_, i) => ipv4Key((0x0a000000 + i * 7919) >>> 0));
      const { keys: k, slots } = hostKeys(keys);
      const members = Int32Array.from({ length: n }, (_, i) => n - 1 - i);
      const s = sketchOf(members, 0, n, k, slots);
      expect(hex(s)).toBe(hex(added(keys)));
      expect(s.isExact()).toBe(n <= SourceSketch.EXACT_LIMIT);
    },
  );

  it('counts an IPv4 source and its IPv4-mapped IPv6 form once', () => {
    const mapped = new Uint8Array(16);
    mapped[10] = 0xff;
    mapped[11] = 0xff;
    mapped.set([192, 0, 2, 1], 12);
    const keys = [ipv4Key(0xc0000201), ipv6Key(mapped), ipv4Key(0xc0000202)];
    const { keys: k, slots } = hostKeys(keys);
    const s = sketchOf(Int32Array.from([0, 1, 2]), 0, 3, k, slots);
    expect(s.estimate()).toBe(2);
    expect(hex(s)).toBe(hex(added(keys)));
  });

  it('orders keys that share a high word by the low word', () => {
    const keys: [number, number][] = [
      [5, 9],
      [5, 3],
      [1, 7],
      [5, 3],
      [5, 1],
    ];
    const { keys: k, slots } = hostKeys(keys);
    const s = sketchOf(Int32Array.from([0, 1, 2, 3, 4]), 0, 5, k, slots);
    expect(s.estimate()).toBe(4);
    expect(hex(s)).toBe(hex(added(keys)));
  });

  it('a bulk-built sketch merges, grows and re-serializes like any other', () => {
    const keys = Array.from({ length: 100 }, (_, i) => ipv4Key(i + 1));
    const { keys: k, slots } = hostKeys(keys);
    const s = sketchOf(
      Int32Array.from({ length: 100 }, (_, i) => i),
      0,
      100,
      k,
      slots,
    );
    const more = added([ipv4Key(1000), ipv4Key(1)]);
    s.merge(more);
    expect(s.estimate()).toBe(101);
    expect(hex(s)).toBe(hex(added([...keys, ipv4Key(1000)])));
    const into = added([ipv4Key(5000)]);
    into.merge(sketchOf(Int32Array.from([0, 1]), 0, 2, k, slots));
    expect(into.estimate()).toBe(3);
  });
});

describe('RowSet', () => {
  it('sums packets per row and makes each row the sketch of its members', () => {
    const keys = Array.from({ length: 5 }, (_, i) => ipv4Key(i + 100));
    const { keys: k, slots } = hostKeys(keys);
    const rows = new RowSet();
    const a = rows.rowOf(6, 445);
    const b = rows.rowOf(17, 53);
    expect(rows.rowOf(6, 445)).toBe(a);
    rows.add(a, 0, 3);
    rows.add(b, 1, 1);
    rows.add(a, 2, 4);
    rows.add(a, 4, 1);
    expect(rows.packets).toEqual([8, 1]);
    const sketches = rows.sketches(k, slots);
    expect(hex(sketches[a]!)).toBe(hex(added([keys[0]!, keys[2]!, keys[4]!])));
    expect(sketches[b]!.estimate()).toBe(1);
  });
});
