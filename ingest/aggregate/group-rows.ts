import { type DayHostRows, HostRows } from './host-rows';
import { type AggregatorRows, type FileAggregates, SKETCH_ROW_KEYS } from './rows';

type Family = keyof typeof SKETCH_ROW_KEYS;
type SketchRow = FileAggregates[Family][number];

const FAMILIES = Object.keys(SKETCH_ROW_KEYS) as Family[];
const keyOf = (f: Family, r: SketchRow): string =>
  (SKETCH_ROW_KEYS[f] as (r: SketchRow) => (string | number)[])(r).join('\u0001');

/** Rough bytes of a row object beside its sketch. */
const ROW_OBJECT_BYTES = 160;

type FamilyRows = Record<Family, SketchRow[]>;

/** One day of the group: one file's rows as they came, or several files' merged. */
interface GroupDay {
  rows: FamilyRows;
  hosts: DayHostRows[];
  /** Several files' sketch rows merged by key (host parts stay apart: HostRows merges them). */
  merged: Record<Family, Map<string, SketchRow>> | null;
  bytes: number;
}

/**
 * The aggregates of several files of one sensor, merged in memory before one commit
 * (Store.commitMerged). A day that one file has keeps that file's rows as they are; the
 * sketch rows of a day that several files share are merged by key as the store would
 * merge them file after file (packets add, sketches merge), and their host parts are
 * kept side by side for HostRows to merge as it yields them (mergeHostRows, the earlier
 * file first). So the commit writes each key once and stores what committing the files
 * one by one would.
 */
export class GroupRows {
  private readonly days = new Map<string, GroupDay>();
  private bytes = 0;

  /** Adds a file's aggregates (the group takes them over: its rows may be changed). */
  add(a: AggregatorRows): void {
    for (const [day, incoming] of splitByDay(a)) {
      const held = this.days.get(day);
      if (held === undefined) {
        this.days.set(day, incoming);
        this.bytes += incoming.bytes;
        continue;
      }
      if (held.merged === null) {
        held.merged = Object.fromEntries(FAMILIES.map((f) => [f, new Map()])) as Record<
          Family,
          Map<string, SketchRow>
        >;
        fold(held.merged, held.rows);
        held.rows = emptyRows();
      }
      fold(held.merged, incoming.rows);
      held.hosts.push(...incoming.hosts);
      // Over: merged rows are counted at the incoming file's size too.
      held.bytes += incoming.bytes;
      this.bytes += incoming.bytes;
    }
  }

  /** Bytes held (approximately). */
  heldBytes(): number {
    return this.bytes;
  }

  /** The group's aggregates, days ascending. */
  result(): AggregatorRows {
    const rows = emptyRows();
    const hosts: DayHostRows[] = [];
    for (const day of [...this.days.keys()].sort()) {
      const d = this.days.get(day)!;
      for (const f of FAMILIES) {
        for (const r of d.merged === null ? d.rows[f] : d.merged[f].values()) rows[f].push(r);
      }
      hosts.push(...d.hosts);
    }
    return { ...(rows as unknown as Omit<FileAggregates, 'hosts'>), hosts: new HostRows(hosts) };
  }
}

function emptyRows(): FamilyRows {
  return Object.fromEntries(FAMILIES.map((f) => [f, []])) as unknown as FamilyRows;
}

function splitByDay(a: AggregatorRows): Map<string, GroupDay> {
  const days = new Map<string, GroupDay>();
  const dayOf = (day: string): GroupDay => {
    let d = days.get(day);
    if (d === undefined) {
      d = { rows: emptyRows(), hosts: [], merged: null, bytes: 0 };
      days.set(day, d);
    }
    return d;
  };
  for (const f of FAMILIES) {
    for (const r of a[f] as readonly SketchRow[]) {
      const d = dayOf(r.day);
      d.rows[f].push(r);
      d.bytes += ROW_OBJECT_BYTES + r.sources.heldBytes();
    }
  }
  for (const part of a.hosts.dayParts()) {
    const d = dayOf(part.day);
    d.hosts.push(part);
    d.bytes += part.heldBytes();
  }
  return days;
}

function fold(into: Record<Family, Map<string, SketchRow>>, rows: FamilyRows): void {
  for (const f of FAMILIES) {
    const map = into[f];
    for (const r of rows[f]) {
      const key = keyOf(f, r);
      const held = map.get(key);
      if (held === undefined) map.set(key, r);
      else {
        held.packets += r.packets;
        held.sources.merge(r.sources);
      }
    }
  }
}
