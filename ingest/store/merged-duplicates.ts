import type { LedgerEntry } from './types';

/**
 * Indexes of the entries a merged commit cannot take (Store.commitMerged): content
 * already in the ledger, or the same bytes or capture as an earlier entry of the group.
 */
export function mergedDuplicates<E extends Pick<LedgerEntry, 'sha256' | 'contentSha256'>>(
  entries: readonly E[],
  inLedger: (e: E, index: number) => boolean,
): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  for (const [i, e] of entries.entries()) {
    const ids = e.contentSha256 ? [e.sha256, e.contentSha256] : [e.sha256];
    if (ids.some((id) => seen.has(id)) || inLedger(e, i)) out.push(i);
    for (const id of ids) seen.add(id);
  }
  return out;
}
