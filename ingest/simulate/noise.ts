/**
 * The long tail: many small populations over many countries and thousands of ports,
 * generated from the scenario's own noise seed (not the run seed), so the scenario's
 * expected aggregates are the same for every run. Each generated population is an
 * ordinary `Population` (plain data), so it goes through the same compiler and generator.
 */
import { dayNumber, isoDay } from './days';
import { compileTrend } from './model';
import { hash2, hashString, Rng } from './prng';
import type {
  Choice,
  NoiseSpec,
  PacketShape,
  Population,
  PortWeight,
  Trend,
} from './scenario-types';

type Kind = 'service' | 'vertical' | 'udp' | 'icmp' | 'backscatter' | 'iot';

const KINDS: Choice<Kind> = [
  ['service', 44],
  ['vertical', 10],
  ['udp', 14],
  ['icmp', 3],
  ['backscatter', 18],
  ['iot', 8],
];

const IOT_PORTS = [5555, 8080, 81, 37215, 52869, 2323, 7547, 8081, 88, 9000, 60001, 5500, 8443];

/** Tool / OS fingerprints a noise scanner can carry. */
const SYN_PROFILES: ReadonlyArray<readonly [PacketShape, number]> = [
  [
    {
      proto: 'tcp',
      window: 1024,
      ttl: { initial: 255, hops: [8, 24] },
      ipId: 'masscan',
      srcPort: 'per-host',
    },
    3,
  ],
  [
    {
      proto: 'tcp',
      window: 65535,
      ttl: { initial: 255, hops: [8, 24] },
      ipId: 'zmap',
      srcPort: 'per-host',
    },
    2,
  ],
  [
    {
      proto: 'tcp',
      window: 1024,
      ttl: {
        initial: [
          [64, 3],
          [255, 1],
        ],
        hops: [6, 22],
      },
      srcPort: 'random',
    },
    3,
  ],
  [
    {
      proto: 'tcp',
      window: {
        perHost: [
          [29200, 3],
          [64240, 3],
          [14600, 1],
          [5840, 1],
        ],
      },
      ttl: { initial: 64, hops: [6, 22] },
      options: 'linux',
      df: true,
      srcPort: 'ephemeral',
    },
    3,
  ],
  [
    {
      proto: 'tcp',
      window: {
        perHost: [
          [64240, 3],
          [65535, 2],
          [8192, 1],
        ],
      },
      ttl: { initial: 128, hops: [6, 22] },
      options: 'windows',
      df: true,
      ipId: 'incremental',
      srcPort: 'ephemeral-windows',
    },
    2,
  ],
  [
    {
      proto: 'tcp',
      window: {
        perHost: [
          [1024, 1],
          [2048, 1],
          [3072, 1],
          [4096, 1],
        ],
      },
      ttl: {
        initial: [
          [64, 1],
          [128, 1],
        ],
        hops: [6, 22],
      },
      options: 'mss',
      srcPort: 'per-host',
    },
    1,
  ],
];

function pickWeighted<T>(rng: Rng, choice: Choice<T>): T {
  const total = choice.reduce((s, [, w]) => s + w, 0);
  let u = rng.next() * total;
  for (const [v, w] of choice) {
    u -= w;
    if (u < 0) return v;
  }
  return choice[choice.length - 1]![0];
}

function randomTrend(
  rng: Rng,
  start: number,
  end: number,
  mild: boolean,
): { trend: Trend; active?: Population['active'] } {
  const r = rng.next();
  const span = end - start;
  if (mild) {
    // Named countries' long tail: flat or gently sloped, so the scenario's rankings hold.
    if (r < 0.8) return { trend: { kind: 'flat' } };
    const a = 0.85 + 0.3 * rng.next();
    return {
      trend: { kind: 'linear', from: isoDay(start), to: isoDay(end), start: a, end: 2 - a },
    };
  }
  if (r < 0.62) return { trend: { kind: 'flat' } };
  if (r < 0.8) {
    const a = 0.5 + rng.next();
    const b = 0.5 + rng.next();
    return { trend: { kind: 'linear', from: isoDay(start), to: isoDay(end), start: a, end: b } };
  }
  if (r < 0.9) {
    const at = start + 10 + rng.int(span - 20);
    const up = rng.next() < 0.5;
    return {
      trend: { kind: 'step', at: isoDay(at), before: up ? 0.4 : 1.4, after: up ? 1.4 : 0.4 },
    };
  }
  // A campaign: active for 7..60 days.
  const len = 7 + rng.int(54);
  const from = start + rng.int(Math.max(1, span - len));
  return { trend: { kind: 'flat' }, active: { from: isoDay(from), to: isoDay(from + len) } };
}

function meanLevel(p: Pick<Population, 'trend' | 'active'>, start: number, end: number): number {
  let sum = 0;
  const a = p.active;
  const from = a?.from ? dayNumber(a.from) : -Infinity;
  const to = a?.to ? dayNumber(a.to) : Infinity;
  const level = compileTrend(p.trend);
  for (let d = start; d <= end; d++) if (d >= from && d <= to) sum += level(d);
  return sum / (end - start + 1);
}

function weeklyRhythm(rng: Rng): number[] {
  const amp = 0.05 + 0.15 * rng.next();
  const phase = rng.next() * 7;
  return Array.from({ length: 7 }, (_, i) => 1 + amp * Math.cos((2 * Math.PI * (i - phase)) / 7));
}

function round2(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Builds the noise populations of a scenario (deterministic in `spec.seed`). */
export function noisePopulations(spec: NoiseSpec, startIso: string, endIso: string): Population[] {
  const rng = new Rng(spec.seed);
  const start = dayNumber(startIso);
  const end = dayNumber(endIso);
  const countryUnits: Array<[string, number, boolean, Trend | undefined]> = Object.entries(
    spec.perCountry,
  ).map(([cc, u]) =>
    typeof u === 'number'
      ? [cc, u, true, undefined]
      : [cc, u[0], true, { kind: 'linear', from: startIso, to: endIso, start: u[1], end: u[2] }],
  );
  const restTotal = Object.values(spec.rest.countries).reduce((s, w) => s + w, 0);
  for (const [cc, w] of Object.entries(spec.rest.countries)) {
    countryUnits.push([cc, (spec.rest.units * w) / restTotal, false, undefined]);
  }
  const tcpCommon = spec.commonPorts.filter((p) => p.proto === 'tcp');
  const udpCommon = spec.commonPorts.filter((p) => p.proto === 'udp');
  const out: Population[] = [];
  for (const [cc, units, mild, drift] of countryUnits) {
    // Each country draws from its own stream: tuning one country's units leaves the others alone.
    rng.reseed(hash2(spec.seed, hashString(cc)));
    const n = Math.max(1, Math.round(units / spec.unitsPerPopulation));
    const shares = Array.from({ length: n }, () => -Math.log(1 - rng.next()) + 0.05);
    const total = shares.reduce((s, x) => s + x, 0);
    for (let i = 0; i < n; i++) {
      const kind = pickWeighted(rng, KINDS);
      const random = randomTrend(rng, start, end, mild);
      const { trend, active } = drift ? { trend: drift, active: undefined } : random;
      const mean = meanLevel({ trend, active }, start, end);
      const u = round2((units * shares[i]!) / total / Math.max(mean, 0.05));
      const base = {
        name: `noise-${cc.toLowerCase()}-${i + 1}`,
        countries: { [cc]: u },
        trend,
        ...(active ? { active } : {}),
        weekly: weeklyRhythm(rng),
      };
      out.push({ ...base, ...kindParts(rng, kind, tcpCommon, udpCommon) });
    }
  }
  return out;
}

function kindParts(
  rng: Rng,
  kind: Kind,
  tcpCommon: readonly PortWeight[],
  udpCommon: readonly PortWeight[],
): Pick<Population, 'description' | 'ports' | 'shape' | 'hosts' | 'bursts'> {
  const sigma = 0.4 + rng.next();
  const bursts =
    rng.next() < 0.15
      ? {
          random: { perDay: 0.02 + 0.05 * rng.next() },
          factor: [2, 6] as const,
          hours: 1 + rng.int(4),
        }
      : undefined;
  const withBursts = bursts ? { bursts } : {};
  switch (kind) {
    case 'service': {
      const k = 1 + rng.int(3);
      const ports: PortWeight[] = [];
      for (let j = 0; j < k; j++) {
        const p = pickWeighted(
          rng,
          tcpCommon.map((x) => [x, x.weight] as const),
        );
        if (!ports.some((q) => q.port === p.port)) ports.push({ ...p, weight: 0.5 + rng.next() });
      }
      return {
        description: 'service scanner',
        ports,
        shape: pickWeighted(rng, SYN_PROFILES),
        hosts: { rate: 3 + 30 * rng.next(), sigma },
        ...withBursts,
      };
    }
    case 'vertical': {
      const ranges: ReadonlyArray<readonly [number, number]> = [
        [1, 65535],
        [1, 1024],
        [1024, 65535],
        [1, 10000],
      ];
      const r = ranges[rng.int(ranges.length)]!;
      return {
        description: 'vertical scanner (many ports)',
        ports: [{ proto: 'tcp', port: r, weight: 1 }],
        shape: pickWeighted(rng, SYN_PROFILES),
        hosts: { rate: 20 + 80 * rng.next(), sigma: sigma + 0.5, presence: 0.5 },
        ...withBursts,
      };
    }
    case 'udp': {
      const k = 1 + rng.int(2);
      const ports: PortWeight[] = [];
      for (let j = 0; j < k; j++) {
        const p = pickWeighted(
          rng,
          udpCommon.map((x) => [x, x.weight] as const),
        );
        if (!ports.some((q) => q.port === p.port)) ports.push({ ...p, weight: 0.5 + rng.next() });
      }
      return {
        description: 'UDP prober',
        ports,
        shape: {
          proto: 'udp',
          ttl: {
            initial: [
              [64, 3],
              [128, 1],
              [255, 1],
            ],
            hops: [6, 22],
          },
          srcPort: rng.next() < 0.5 ? 'random' : 'per-host',
        },
        hosts: { rate: 2 + 15 * rng.next(), sigma },
        ...withBursts,
      };
    }
    case 'icmp':
      return {
        description: 'ICMP echo sweep',
        ports: [{ proto: 'icmp', port: 8 << 8, weight: 1 }],
        shape: {
          proto: 'icmp',
          ttl: {
            initial: [
              [64, 2],
              [128, 1],
              [255, 1],
            ],
            hops: [6, 22],
          },
        },
        hosts: { rate: 2 + 10 * rng.next(), sigma },
        ...withBursts,
      };
    case 'iot': {
      const k = 1 + rng.int(3);
      const ports: PortWeight[] = [];
      for (let j = 0; j < k; j++) {
        const port = IOT_PORTS[rng.int(IOT_PORTS.length)]!;
        if (!ports.some((q) => q.port === port))
          ports.push({ proto: 'tcp', port, weight: 0.5 + rng.next() });
      }
      return {
        description: 'IoT botnet (Mirai family: sequence number = destination address)',
        ports,
        shape: {
          proto: 'tcp',
          window: 'random',
          ttl: { initial: 64, hops: [6, 22] },
          seq: 'dst',
          srcPort: 'random',
        },
        hosts: { rate: 2 + 4 * rng.next(), sigma, presence: 0.6, churn: 0.03 },
      };
    }
    case 'backscatter': {
      const r = rng.next();
      const victimPorts: Choice<number> = [
        [80, 5],
        [443, 5],
        [22, 1],
        [25, 1],
        [3389, 1],
        [8080, 1],
        [53, 1],
        [27015, 1],
        [25565, 1],
      ];
      if (r < 0.7) {
        return {
          description: 'DDoS backscatter (SYN-ACK / RST from victims of spoofed SYN floods)',
          ports: [{ proto: 'tcp', port: [1024, 65535], weight: 1 }],
          shape: {
            proto: 'tcp',
            flags: [
              ['synack', 6],
              ['rstack', 3],
              ['rst', 1],
            ],
            window: {
              perHost: [
                [0, 1],
                [29200, 2],
                [65535, 2],
                [14600, 1],
                [8192, 1],
              ],
            },
            ttl: {
              initial: [
                [64, 3],
                [128, 1],
                [255, 1],
              ],
              hops: [6, 22],
            },
            options: 'mss',
            df: true,
            srcPort: { perHost: victimPorts },
          },
          hosts: { rate: 20 + 200 * rng.next(), sigma: sigma + 0.8, presence: 0.3, churn: 0.1 },
          ...withBursts,
        };
      }
      if (r < 0.85) {
        return {
          description: 'DNS backscatter (responses from source port 53)',
          ports: [{ proto: 'udp', port: [1024, 65535], weight: 1 }],
          shape: {
            proto: 'udp',
            ttl: {
              initial: [
                [64, 2],
                [128, 1],
                [255, 1],
              ],
              hops: [6, 22],
            },
            srcPort: 53,
            payload: 'dns-response',
          },
          hosts: { rate: 10 + 60 * rng.next(), sigma: sigma + 0.5, presence: 0.4, churn: 0.08 },
          ...withBursts,
        };
      }
      return {
        description: 'ICMP backscatter (unreachable / time exceeded about spoofed packets)',
        ports: [
          { proto: 'icmp', port: (3 << 8) | 3, weight: 3 },
          { proto: 'icmp', port: (3 << 8) | 1, weight: 2 },
          { proto: 'icmp', port: (3 << 8) | 13, weight: 1 },
          { proto: 'icmp', port: 11 << 8, weight: 1 },
          { proto: 'icmp', port: 0, weight: 2 },
        ],
        shape: {
          proto: 'icmp',
          ttl: {
            initial: [
              [64, 1],
              [255, 2],
            ],
            hops: [6, 22],
          },
        },
        hosts: { rate: 5 + 30 * rng.next(), sigma, presence: 0.4, churn: 0.08 },
        ...withBursts,
      };
    }
  }
}
