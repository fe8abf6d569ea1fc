/**
 * The scenario model of the synthetic telescope: typed data, not code paths.
 *
 * A scenario is a period plus populations of sources. A population says who sends
 * (countries, optionally specific ASes), how much (packets per day in scenario "units"
 * that a scale preset turns into packets, with a trend, a weekly rhythm, an optional
 * wave and bursts), how many distinct hosts share that traffic, to which ports, and
 * what the packets look like (flags, window, TTL, sequence / IP ID rules, options).
 */

/** A UTC calendar day, 'YYYY-MM-DD'. */
export type IsoDay = string;

/** Weighted choice: [value, weight] pairs. */
export type Choice<T> = ReadonlyArray<readonly [T, number]>;

/** Level multiplier over time (1 = the population's stated units / hosts). */
export type Trend =
  | { kind: 'flat' }
  /** `start` up to `from`, linear to `end` at `to`, then `end`. */
  | { kind: 'linear'; from: IsoDay; to: IsoDay; start: number; end: number }
  /** 1 up to `from`, then multiplied by (1 + perDay) each day. */
  | { kind: 'growth'; from: IsoDay; perDay: number }
  /** 1 up to `from`, then halves every `halfLifeDays` towards `floor` (default 0). */
  | { kind: 'decay'; from: IsoDay; halfLifeDays: number; floor?: number }
  /** `before` until the day before `at`, `after` from `at` on. */
  | { kind: 'step'; at: IsoDay; before: number; after: number }
  /** Piecewise linear through the points (held flat outside them). */
  | { kind: 'points'; points: ReadonlyArray<readonly [IsoDay, number]> };

/** A slow sinusoidal swing: level * (1 + amplitude * sin(2 pi (day + phase) / period)). */
export interface Wave {
  periodDays: number;
  amplitude: number;
  phaseDays: number;
}

/** Short sharp bursts on top of the trend. */
export interface Bursts {
  /** Fixed burst days. */
  days?: readonly IsoDay[];
  /** Random burst days: each day within [from, to] bursts with probability `perDay`. */
  random?: { perDay: number; from?: IsoDay; to?: IsoDay };
  /** The day's traffic is multiplied by a factor drawn in [min, max]. */
  factor: readonly [number, number];
  /** The extra traffic arrives within a window of this many hours (start hour drawn per day). */
  hours: number;
  /** Share of the extra traffic's weight carried by extra hosts that join for the burst (0..1). */
  hostShare?: number;
}

export type Proto = 'tcp' | 'udp' | 'icmp';

/**
 * A destination port (or range, uniform inside) and its weight. For ICMP the "port"
 * is type << 8 | code, as the aggregates key it.
 */
export interface PortWeight {
  proto: Proto;
  port: number | readonly [number, number];
  weight: number;
}

export type TcpFlagName = 'syn' | 'synack' | 'rst' | 'rstack' | 'ack';

/** How the TCP window is chosen. */
export type WindowRule =
  | number
  /** Each host keeps one window, drawn once from the choice. */
  | { perHost: Choice<number> }
  /** Each packet draws from the choice. */
  | { perPacket: Choice<number> }
  /** Uniform 16-bit random per packet (Mirai). */
  | 'random';

export type SeqRule = 'random' | 'dst' | { fixed: number };

export type IpIdRule =
  | 'random'
  /** ZMap: 54321. */
  | 'zmap'
  /** masscan: (dst ^ dport ^ seq) & 0xffff. */
  | 'masscan'
  /** A per-host counter that advances with time (Windows-like global counter). */
  | 'incremental'
  | 'zero'
  | { fixed: number };

export type OptionsRule = 'none' | 'mss' | 'windows' | 'linux' | 'mss-sack';

export type SrcPortRule =
  /** Uniform in 32768..60999 per packet (Linux ephemeral range). */
  | 'ephemeral'
  /** Uniform in 49152..65535 per packet (Windows ephemeral range). */
  | 'ephemeral-windows'
  /** Uniform 1024..65535 per packet. */
  | 'random'
  /** One port per host (e.g. ZMap's fixed source port per scan). */
  | 'per-host'
  /** One port per host, drawn from the choice (e.g. a victim's service port). */
  | { perHost: Choice<number> }
  | number;

export type PayloadName =
  | 'none'
  | 'dns-query'
  | 'dns-response'
  | 'ntp'
  | 'ssdp'
  | 'sip'
  | 'snmp'
  | 'netbios'
  | 'zeros';

export type IcmpKind = 'echo-request' | 'echo-reply' | 'unreachable' | 'time-exceeded';

export interface PacketShape {
  proto: Proto;
  /** TCP flags (default SYN). */
  flags?: Choice<TcpFlagName>;
  /** TCP window (default 1024). */
  window?: WindowRule;
  /** Initial TTL (per host when a choice) minus a per-host hop count in [min, max]. */
  ttl: { initial: number | Choice<number>; hops: readonly [number, number] };
  seq?: SeqRule;
  ipId?: IpIdRule;
  options?: OptionsRule;
  srcPort?: SrcPortRule;
  /** IPv4 Don't Fragment (default false). */
  df?: boolean;
  /** UDP payload (default none). */
  payload?: PayloadName;
  /** ICMP message (default echo-request). */
  icmp?: IcmpKind;
}

/** How many distinct hosts carry a population's packets. */
export type HostModel =
  | {
      /**
       * Mean packets per host per day at the reference scale (`unitPackets` of the
       * scenario): hosts = packets / rate there, and scale presets multiply host counts
       * by their own `hostFactor`.
       */
      rate: number;
      /** Log-normal spread of per-host weights (0 = all equal). Default 0.8. */
      sigma?: number;
      /** Probability that a host of the active pool shows up on a given day. Default 0.85. */
      presence?: number;
      /** Fraction of the pool replaced per day (new identities). Default 0.01. */
      churn?: number;
    }
  /** Exactly this many hosts, whatever the scale (e.g. named victims). */
  | { fixed: number };

export interface Population {
  name: string;
  description: string;
  /** Packets per day at level 1, in scenario units, per source country (ISO alpha-2). */
  countries: Readonly<Record<string, number>>;
  /** Draw addresses only from these ASes (each country's part from those ASes' ranges). */
  asns?: readonly number[];
  /** Sanity check for `asns`: each AS's organisation must match. */
  expectOrg?: RegExp;
  /** Share host identities (addresses) with other populations of the same pool name. */
  pool?: string;
  trend: Trend;
  /** Only active between these days (inclusive). */
  active?: { from?: IsoDay; to?: IsoDay; days?: readonly IsoDay[] };
  /** Weekly multipliers Monday..Sunday (normalised to mean 1). */
  weekly?: readonly number[];
  wave?: Wave;
  bursts?: Bursts;
  /** All traffic within [startHour, startHour + hours) UTC (default the whole day). */
  hours?: readonly [number, number];
  /** Whether the trend also scales host counts (default true: growth = more hosts). */
  trendScalesHosts?: boolean;
  ports: readonly PortWeight[];
  shape: PacketShape;
  hosts: HostModel;
}

/** Procedurally generated long tail: many small populations over many countries and ports. */
export interface NoiseSpec {
  /** Seed of the noise structure (fixed by the scenario, independent of the run seed). */
  seed: number;
  /**
   * Units per day of long-tail traffic from each named country: a number (flat or gently
   * sloped at random), or [units, level at start, level at end] for a linear drift.
   */
  perCountry: Readonly<Record<string, number | readonly [number, number, number]>>;
  /** Units per day spread over the other countries by relative weights. */
  rest: { units: number; countries: Readonly<Record<string, number>> };
  /** Mean units per generated population (sets how many populations there are). */
  unitsPerPopulation: number;
  /** Well-known scanned ports and their relative popularity. */
  commonPorts: readonly PortWeight[];
}

export interface Scenario {
  name: string;
  title: string;
  description: string;
  start: IsoDay;
  end: IsoDay;
  /**
   * Packets per unit per day over the whole telescope at the reference scale (the
   * `sensor` preset): the anchor for the host models' `rate`.
   */
  referenceUnitPackets: number;
  populations: readonly Population[];
  noise?: NoiseSpec;
}
