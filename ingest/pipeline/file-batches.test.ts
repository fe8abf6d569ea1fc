import { describe, expect, it } from 'vitest';
import { fileBatches } from './file-batches';

describe('fileBatches', () => {
  it('groups consecutive small files up to the byte limit', () => {
    expect(fileBatches([4, 4, 4, 4, 4], 10, 100)).toEqual([
      [0, 2],
      [2, 4],
      [4, 5],
    ]);
  });

  it('puts a file at or over the limit in a batch of its own', () => {
    expect(fileBatches([1, 50, 1, 1], 10, 100)).toEqual([
      [0, 1],
      [1, 2],
      [2, 4],
    ]);
  });

  it('caps the number of files per batch', () => {
    expect(fileBatches([0, 0, 0, 0, 0], 10, 2)).toEqual([
      [0, 2],
      [2, 4],
      [4, 5],
    ]);
  });

  it('covers every file exactly once, in order', () => {
    const sizes = Array.from({ length: 200 }, (_, i) => (i * 7919) % 23);
    const batches = fileBatches(sizes, 40, 9);
    expect(batches[0]![0]).toBe(0);
    expect(batches.at(-1)![1]).toBe(200);
    for (let i = 1; i < batches.length; i++) expect(batches[i]![0]).toBe(batches[i - 1]![1]);
    for (const [a, b] of batches) {
      expect(b - a).toBeLessThanOrEqual(9);
      const bytes = sizes.slice(a, b).reduce((x, y) => x + y, 0);
      expect(b - a === 1 || bytes <= 40).toBe(true);
    }
  });

  it('gives no batch for no files', () => {
    expect(fileBatches([])).toEqual([]);
  });
});
