import { compareText } from '../../lib/compare-text';
import type { HostDayPart } from './host-rows';
import { mergeHostRows } from './merge-rows';
import type { DailyHostRow } from './rows';

/** Rough bytes of a host row as an object (its port map and registers included). */
const HOST_ROW_OBJECT_BYTES = 900;

/**
 * One day's host rows given as objects (a row list rather than the aggregator's columnar
 * parts), rows of one address merged as the store would (mergeHostRows, earlier first).
 */
export class ListDayHosts implements HostDayPart {
  private readonly byIp = new Map<string, DailyHostRow>();
  private sorted: DailyHostRow[] | null = null;

  constructor(readonly day: string) {}

  get length(): number {
    return this.byIp.size;
  }

  add(row: DailyHostRow): void {
    this.sorted = null;
    const held = this.byIp.get(row.ip);
    this.byIp.set(row.ip, held === undefined ? row : mergeHostRows(held, row));
  }

  ip(h: number): string {
    return this.inOrder()[h]!.ip;
  }

  row(h: number): DailyHostRow {
    return this.inOrder()[h]!;
  }

  ipOrder(): { order: Int32Array; ips: null } {
    this.inOrder();
    return { order: Int32Array.from({ length: this.byIp.size }, (_, i) => i), ips: null };
  }

  heldBytes(): number {
    return this.byIp.size * HOST_ROW_OBJECT_BYTES;
  }

  private inOrder(): DailyHostRow[] {
    this.sorted ??= [...this.byIp.values()].sort((a, b) => compareText(a.ip, b.ip));
    return this.sorted;
  }
}
