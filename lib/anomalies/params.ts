/**
 * Every detector parameter in one place, with its default. docs/ANOMALIES.md explains
 * each; change them there too.
 */

export interface SeriesParams {
  /** Trailing days the baseline (median) and spread (MAD) are computed over. */
  baselineDays: number;
  /** Fewest days of history a day needs before it can be scored. */
  minHistoryDays: number;
  /** Trailing days the weekday profile is estimated from. */
  profileDays: number;
  /** Below this median daily value a series gets no weekday profile (too noisy). */
  profileMinLevel: number;
  /** Weekday factors are clipped to this range. */
  profileClip: [number, number];
  /** Spread floor as a fraction of the baseline (day-to-day variation never below it). */
  relativeSpreadFloor: number;
  /** Spike: robust z-score at least this... */
  spikeZ: number;
  /** ...and observed / baseline at least this. */
  spikeRatio: number;
  /** Level shift: days after the change that must all sit on the new level. */
  shiftDays: number;
  /** ...of which at least this many beyond 2 spreads from the old level... */
  shiftAgreeDays: number;
  /** ...the new level's robust z at least this... */
  shiftZ: number;
  /** ...and new / old level at least this (or at most its inverse, for a drop). */
  shiftRatio: number;
  /**
   * Minimum volume: the excess over the baseline must be at least this share of the
   * day's whole telescope (packets, or distinct sources for the sources metric)...
   */
  minExcessShare: number;
  /** ...and at least this many packets... */
  minExcessPackets: number;
  /** ...or this many distinct sources. */
  minExcessSources: number;
}

export const SERIES_PARAMS: SeriesParams = {
  baselineDays: 28,
  minHistoryDays: 14,
  profileDays: 56,
  profileMinLevel: 30,
  profileClip: [0.5, 2],
  relativeSpreadFloor: 0.1,
  spikeZ: 6,
  spikeRatio: 2,
  shiftDays: 7,
  shiftAgreeDays: 6,
  shiftZ: 4,
  shiftRatio: 1.5,
  minExcessShare: 0.01,
  minExcessPackets: 20,
  minExcessSources: 5,
};

export interface BackscatterParams {
  /** An event has at most this many victim addresses (more is not "a small set"). */
  maxVictims: number;
  /** Backscatter packets of the AS on the day: at least this share of the day's packets... */
  minShare: number;
  /** ...and at least this many. */
  minPackets: number;
  /** ...and at least this many times the AS's own median backscatter of the trailing days. */
  minRatio: number;
  /** Trailing days for the AS's own backscatter baseline (its median)... */
  baselineDays: number;
  /** ...of which at least this many with data; with fewer there is no baseline (0). */
  minHistoryDays: number;
  /** Spans shorter than this (seconds) are rounded up for the rate estimate. */
  minSpanSeconds: number;
}

export const BACKSCATTER_PARAMS: BackscatterParams = {
  maxVictims: 64,
  minShare: 0.01,
  minPackets: 20,
  minRatio: 5,
  baselineDays: 28,
  minHistoryDays: 7,
  minSpanSeconds: 60,
};

export interface GrowthParams {
  /** Periods shorter than this get no growth detection. */
  minPeriodDays: number;
  /** Weeks averaged at the start and at the end of the period. */
  edgeWeeks: number;
  /** End / start distinct hosts at least this... */
  minGrowth: number;
  /** ...while the rest grows at most this much (flat)... */
  maxRestGrowth: number;
  /** ...and shrinks at most to this (flat). */
  minRestGrowth: number;
  /** Weekly counts must rise steadily: Spearman correlation with time at least this. */
  minTrend: number;
  /** Extra hosts per week (end minus start) at least this share of the port's weekly hosts... */
  minExtraShare: number;
  /** ...and at least this many. */
  minExtraHosts: number;
}

export const GROWTH_PARAMS: GrowthParams = {
  minPeriodDays: 28,
  edgeWeeks: 3,
  minGrowth: 1.4,
  maxRestGrowth: 1.25,
  minRestGrowth: 0.8,
  minTrend: 0.6,
  minExtraShare: 0.05,
  minExtraHosts: 10,
};

export interface RankParams {
  /** Ranks compared (top N of the period). */
  top: number;
  /** A jump of at least this many places... */
  minJump: number;
  /** ...to a rank no worse than this counts; a new entry counts within this rank too. */
  maxRank: number;
  /** Periods shorter than this get no rank moves. */
  minPeriodDays: number;
}

export const RANK_PARAMS: RankParams = {
  top: 10,
  minJump: 3,
  maxRank: 10,
  minPeriodDays: 7,
};

/** The list shows anomalies down to this severity (0..100); see docs/ANOMALIES.md. */
export const MIN_SEVERITY = 10;

/**
 * Bump when detector output changes for the same data: stored scans are then redone.
 * 2: backscatter events report the victims' TCP sequence numbers (`seqs`, `fixedSeq`).
 */
export const DETECTOR_VERSION = 2;
