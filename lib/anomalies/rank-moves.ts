/**
 * Rank moves between a period and the previous one of the same length: new entries into
 * the top, jumps of several places, and a new first place. Pure.
 */
import type { RankParams } from './params';

export interface Ranked {
  key: string;
  packets: number;
}

export interface RankMove {
  key: string;
  rank: number;
  /** Rank in the previous period (null: no packets then, or beyond the list). */
  previousRank: number | null;
  packets: number;
  previousPackets: number;
  kind: 'new-first' | 'new-entry' | 'jump';
  /** Places gained (for a new entry: from beyond the previous list). */
  jump: number;
}

/** Both lists sorted by packets, largest first. */
export function detectRankMoves(current: Ranked[], previous: Ranked[], p: RankParams): RankMove[] {
  const prevRank = new Map(previous.map((r, i) => [r.key, i + 1]));
  const prevPackets = new Map(previous.map((r) => [r.key, r.packets]));
  const out: RankMove[] = [];
  for (let i = 0; i < Math.min(p.top, current.length); i++) {
    const r = current[i]!;
    const rank = i + 1;
    if (rank > p.maxRank || r.packets <= 0) continue;
    const prev = prevRank.get(r.key) ?? null;
    const previousPackets = prevPackets.get(r.key) ?? 0;
    if (rank === 1 && prev !== null && prev !== 1) {
      out.push({
        key: r.key,
        rank,
        previousRank: prev,
        packets: r.packets,
        previousPackets,
        kind: 'new-first',
        jump: prev - 1,
      });
    } else if (prev === null || prev > p.top) {
      out.push({
        key: r.key,
        rank,
        previousRank: prev,
        packets: r.packets,
        previousPackets,
        kind: 'new-entry',
        jump: (prev ?? previous.length + 1) - rank,
      });
    } else if (prev - rank >= p.minJump) {
      out.push({
        key: r.key,
        rank,
        previousRank: prev,
        packets: r.packets,
        previousPackets,
        kind: 'jump',
        jump: prev - rank,
      });
    }
  }
  return out;
}
