import { PairTable } from './pair-table';

/** Rows keyed by a pair of 32-bit integers, created on first use (no boxed keys). */
export class RowIndex<R> {
  private readonly index = new PairTable(1, 1 << 12);
  readonly rows: R[] = [];

  constructor(private readonly make: (a: number, b: number) => R) {}

  get(a: number, b: number): R {
    const o = this.index.slot(a, b);
    const id1 = this.index.data[o + 3]!;
    if (id1 !== 0) return this.rows[id1 - 1]!;
    const row = this.make(a >>> 0, b >>> 0);
    this.rows.push(row);
    this.index.data[o + 3] = this.rows.length;
    return row;
  }
}
