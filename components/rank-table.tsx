'use client';
/** A ranking with the previous period's rank, the move, and a daily sparkline. */
import Link from 'next/link';
import type { ReactNode } from 'react';
import { formatInt } from '@/lib/charts/format';
import { Move, Sparkline } from './controls';

export interface RankRow {
  key: string;
  href: string;
  label: ReactNode;
  sublabel?: ReactNode;
  packets: number;
  sources: number;
  rank: number;
  previousRank: number | null;
  spark?: number[];
}

export function RankTable({
  caption,
  keyHeader,
  rows,
  testId,
}: {
  caption: string;
  keyHeader: string;
  rows: RankRow[];
  testId: string;
}) {
  return (
    <table className="rank-table" data-testid={testId}>
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col" className="num">
            #
          </th>
          <th scope="col">{keyHeader}</th>
          <th scope="col" className="num">
            Packets
          </th>
          <th scope="col" className="num" title="Distinct source addresses over the whole period">
            Sources
          </th>
          <th scope="col" className="num" title="Rank in the previous period">
            Before
          </th>
          <th scope="col">Move</th>
          <th scope="col">Daily packets</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-key={r.key}>
            <td className="num rank">{r.rank}</td>
            <td>
              <Link href={r.href}>{r.label}</Link>
              {r.sublabel ? <span className="muted small"> {r.sublabel}</span> : null}
            </td>
            <td className="num" data-col="packets">
              {formatInt(r.packets)}
            </td>
            <td className="num" data-col="sources">
              {formatInt(r.sources)}
            </td>
            <td className="num muted" data-col="previous-rank">
              {r.previousRank ?? '–'}
            </td>
            <td>
              <Move rank={r.rank} previousRank={r.previousRank} />
            </td>
            <td className="spark-cell">
              {r.spark ? <Sparkline values={r.spark} label={`Daily packets of ${r.key}`} /> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
