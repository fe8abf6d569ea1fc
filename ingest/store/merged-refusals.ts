import type { LedgerEntry, MergedRefusal } from './types';

type Verdict = MergedRefusal['why'] | null;

/**
 * What the ledger says of an entry inside a commit's transaction (CommitResult): its
 * bytes or capture are there already ('duplicate'), or another row of its path was added
 * after it was read ('stale'), or nothing (null). `latestIdOfPath` is only asked when
 * the entry says what it was based on.
 */
export function ledgerVerdict(
  entry: Pick<LedgerEntry, 'basedOn'>,
  contentKnown: boolean,
  latestIdOfPath: () => number | null,
): Verdict {
  if (contentKnown) return 'duplicate';
  if (entry.basedOn === undefined) return null;
  return latestIdOfPath() === entry.basedOn ? null : 'stale';
}

/**
 * The entries a merged commit cannot take (Store.commitMerged): what the ledger says of
 * each (`verdict`), and as 'duplicate' the same bytes or capture as an earlier entry of
 * the group.
 */
export function mergedRefusals<E extends Pick<LedgerEntry, 'sha256' | 'contentSha256'>>(
  entries: readonly E[],
  verdict: (e: E, index: number) => Verdict,
): MergedRefusal[] {
  const seen = new Set<string>();
  const out: MergedRefusal[] = [];
  for (const [at, e] of entries.entries()) {
    const ids = e.contentSha256 ? [e.sha256, e.contentSha256] : [e.sha256];
    const why = ids.some((id) => seen.has(id)) ? 'duplicate' : verdict(e, at);
    if (why !== null) out.push({ at, why });
    for (const id of ids) seen.add(id);
  }
  return out;
}
