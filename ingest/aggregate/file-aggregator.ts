import { PacketRecord } from '../decode/packet-record';
import type { GeoDb } from '../enrich/geo-db';
import { buildDayRows, type DayRows } from './build-day-rows';
import { DayTables, type HostOrigin } from './day-tables';
import { HostRows } from './host-rows';
import type { AggregatorRows, FileAggregates } from './rows';
import { dayNumber, dayString, SECONDS_PER_DAY } from './utc-day';

/**
 * A day's tables are turned into rows (and freed) once the capture is this far past
 * the day's end: packets arrive in time order, give or take a sensor's buffering.
 * A packet for a day already turned into rows starts a new set of tables for that day;
 * the store merges rows of the same key, so the result is the same, only slower.
 */
const LATE_SECONDS = 3600;
/** How often (in packets) finished days are looked for. */
const FLUSH_CHECK_PACKETS = 1 << 16;
/**
 * IPv4 packets of the current day are added in batches of this many (DayTables.addBatch4:
 * their cache misses overlap); a packet of another kind or day adds the batch first.
 */
const BATCH = 16;

/**
 * Aggregates the packets of one input file per UTC day (see DayTables for the hot
 * path). A finished day's tables become rows (and are freed) as soon as the capture has
 * moved on; the ingest takes those rows out (takeRows), and cuts the day in progress
 * (closeOpenDays), when heldBytes passes its budget (ingest/pipeline/part-writer.ts), so
 * memory does not grow with the file.
 */
export class FileAggregator implements HostOrigin {
  ipPackets = 0;
  nonIpPackets = 0;
  private readonly countries: string[] = [];
  private readonly countryIndex = new Map<string, number>();
  private readonly v6Addresses: Uint8Array[] = [];
  private readonly v6Lookup = new Map<string, number>();
  private readonly open = new Map<number, DayTables>();
  private readonly done: DayRows[] = [];
  private doneBytes = 0;
  private readonly seenDays = new Set<number>();
  private current: DayTables | null = null;
  private dayStart = 1;
  private dayEnd = 0;
  private untilCheck = FLUSH_CHECK_PACKETS;
  private lastHosts = 1 << 12;
  private lastPortPairs = 0;
  private readonly batch = Array.from({ length: BATCH }, () => new PacketRecord());
  private readonly batchHosts = new Int32Array(BATCH);
  private batched = 0;

  constructor(private readonly geo: GeoDb) {}

  add(r: PacketRecord): void {
    if (r.ipVersion === 0) {
      this.nonIpPackets++;
      return;
    }
    const sec = r.tsSec;
    if (r.ipVersion === 4 && this.current !== null && sec >= this.dayStart && sec < this.dayEnd) {
      this.batch[this.batched]!.copyIpv4From(r);
      if (++this.batched === BATCH) this.addBatch();
      return;
    }
    this.addBatch();
    this.addOne(r);
  }

  /** Adds the batched packets (all IPv4, all of the current day). */
  private addBatch(): void {
    const n = this.batched;
    if (n === 0) return;
    this.batched = 0;
    this.current!.addBatch4(this.batch, n, this.batchHosts);
    this.ipPackets += n;
    this.untilCheck -= n;
    if (this.untilCheck <= 0) {
      this.untilCheck = FLUSH_CHECK_PACKETS;
      if (this.open.size > 1) this.flushBefore(this.batch[n - 1]!.tsSec);
    }
  }

  private addOne(r: PacketRecord): void {
    this.ipPackets++;
    const sec = r.tsSec;
    let t = this.current;
    if (t === null || sec < this.dayStart || sec >= this.dayEnd) t = this.switchDay(sec);
    t.add(r);
    if (--this.untilCheck <= 0) {
      this.untilCheck = FLUSH_CHECK_PACKETS;
      if (this.open.size > 1) this.flushBefore(sec);
    }
  }

  finish(): AggregatorRows {
    this.closeOpenDays();
    return this.takeRows() ?? collect([]);
  }

  /**
   * Bytes held (approximately): the open days' tables and the rows of closed days not
   * taken yet. The ingest writes rows out (takeRows) when this passes its budget.
   */
  heldBytes(): number {
    let n = 0;
    for (const t of this.open.values()) n += t.heldBytes();
    return n + this.doneBytes;
  }

  /** Bytes of the closed days' rows not taken yet (part of heldBytes). */
  finishedBytes(): number {
    return this.doneBytes;
  }

  /** Every UTC day the file has had packets of so far, 'YYYY-MM-DD', ascending. */
  daysSeen(): string[] {
    return [...this.seenDays].sort((a, b) => a - b).map(dayString);
  }

  /** Rows of the days closed so far (removed from the aggregator), or null if none. */
  takeRows(): AggregatorRows | null {
    if (this.done.length === 0) return null;
    this.doneBytes = 0;
    return collect(this.done.splice(0));
  }

  /**
   * Turns every open day into rows now, e.g. to bound memory: later packets of those
   * days start new tables, and the store merges the parts (same result, more writing).
   */
  closeOpenDays(): void {
    this.addBatch();
    for (const t of [...this.open.values()].sort((a, b) => a.day - b.day)) this.close(t);
    // A day cut short says nothing about the size of the next tables.
    this.lastHosts = 1 << 12;
    this.lastPortPairs = 0;
  }

  asOrg(asn: number): string {
    return this.geo.asOrg(asn);
  }

  country4(src: number): number {
    return this.countryId(this.geo.country4(src >>> 0));
  }

  asn4(src: number): number {
    return this.geo.asn4(src >>> 0);
  }

  v6Index(addr: Uint8Array): number {
    const key = Buffer.from(addr.buffer, addr.byteOffset, 16).toString('latin1');
    let v6 = this.v6Lookup.get(key);
    if (v6 === undefined) {
      v6 = this.v6Addresses.length;
      this.v6Addresses.push(Uint8Array.from(addr));
      this.v6Lookup.set(key, v6);
    }
    return v6;
  }

  country6(v6: number): number {
    return this.countryId(this.geo.country6(this.v6Addresses[v6]!));
  }

  asn6(v6: number): number {
    return this.geo.asn6(this.v6Addresses[v6]!);
  }

  private switchDay(sec: number): DayTables {
    const day = dayNumber(sec);
    let t = this.open.get(day);
    if (t === undefined) {
      this.seenDays.add(day);
      t = new DayTables(day, this, this.lastHosts, this.lastPortPairs);
      this.open.set(day, t);
    }
    this.current = t;
    this.dayStart = day * SECONDS_PER_DAY;
    this.dayEnd = this.dayStart + SECONDS_PER_DAY;
    return t;
  }

  private flushBefore(sec: number): void {
    for (const t of [...this.open.values()]) {
      if (t !== this.current && sec >= t.dayStart + SECONDS_PER_DAY + LATE_SECONDS) this.close(t);
    }
  }

  private close(t: DayTables): void {
    this.open.delete(t.day);
    if (this.current === t) {
      this.current = null;
      this.dayEnd = 0;
      this.dayStart = 1;
    }
    this.lastHosts = Math.max(1 << 12, t.count);
    this.lastPortPairs = t.portPairCount;
    const rows = buildDayRows(t, {
      dayName: dayString(t.day),
      countries: this.countries,
      v6Addresses: this.v6Addresses,
      asOrg: (asn) => this.geo.asOrg(asn),
    });
    this.done.push(rows);
    this.doneBytes += dayRowsBytes(rows);
  }

  private countryId(cc: string): number {
    let id = this.countryIndex.get(cc);
    if (id === undefined) {
      id = this.countries.length;
      this.countries.push(cc);
      this.countryIndex.set(cc, id);
    }
    return id;
  }
}

function collect(parts: readonly DayRows[]): AggregatorRows {
  const all = <K extends keyof Omit<FileAggregates, 'hosts'>>(k: K): FileAggregates[K] =>
    parts.flatMap((p) => p[k]) as FileAggregates[K];
  return {
    totals: all('totals'),
    ports: all('ports'),
    countries: all('countries'),
    countryPorts: all('countryPorts'),
    windows: all('windows'),
    tags: all('tags'),
    hosts: new HostRows(parts.map((p) => p.hosts)),
  };
}

/** Rough size of a day's rows: an object and a sketch per row, plus the host arrays. */
function dayRowsBytes(d: DayRows): number {
  let n = d.hosts.heldBytes();
  for (const rows of [d.totals, d.ports, d.countries, d.countryPorts, d.windows, d.tags]) {
    for (const r of rows) n += ROW_OVERHEAD_BYTES + r.sources.heldBytes();
  }
  return n;
}

const ROW_OVERHEAD_BYTES = 160;
