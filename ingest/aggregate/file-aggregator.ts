import type { PacketRecord } from '../decode/packet-record';
import type { GeoDb } from '../enrich/geo-db';
import { buildDayRows, type DayRows } from './build-day-rows';
import { DayTables, type HostOrigin } from './day-tables';
import { HostRows } from './host-rows';
import type { FileAggregates } from './rows';
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
 * Aggregates the packets of one input file per UTC day (see DayTables for the hot
 * path). Memory is bounded by the days in flight, not by the file: a finished day's
 * tables become rows as soon as the capture has moved on.
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
  private current: DayTables | null = null;
  private dayStart = 1;
  private dayEnd = 0;
  private untilCheck = FLUSH_CHECK_PACKETS;
  private lastHosts = 1 << 12;
  private lastPortPairs = 0;

  constructor(private readonly geo: GeoDb) {}

  add(r: PacketRecord): void {
    if (r.ipVersion === 0) {
      this.nonIpPackets++;
      return;
    }
    this.ipPackets++;
    const sec = r.tsSec;
    let t = this.current;
    if (t === null || sec < this.dayStart || sec >= this.dayEnd) t = this.switchDay(sec);
    t.add(r);
    if (--this.untilCheck === 0) {
      this.untilCheck = FLUSH_CHECK_PACKETS;
      if (this.open.size > 1) this.flushBefore(sec);
    }
  }

  finish(): FileAggregates {
    for (const t of [...this.open.values()].sort((a, b) => a.day - b.day)) this.close(t);
    const parts = this.done.splice(0);
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
    this.done.push(
      buildDayRows(t, {
        dayName: dayString(t.day),
        countries: this.countries,
        v6Addresses: this.v6Addresses,
        asOrg: (asn) => this.geo.asOrg(asn),
      }),
    );
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
