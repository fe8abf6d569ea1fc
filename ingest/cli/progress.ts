/** A one-line progress bar on a terminal (bytes, packets/s, ETA); silent elsewhere. */
export class ProgressBar {
  private lastDraw = 0;
  private readonly started = performance.now();
  private drawn = false;

  constructor(
    /** null when an input is a stream (its size is known only at its end): no bar, no ETA. */
    private readonly totalBytes: number | null,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  update(doneBytes: number, packets: number, label: string): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const secs = (now - this.started) / 1000;
    const rate = `${formatRate(packets / Math.max(secs, 1e-3))} pkt/s`;
    if (this.totalBytes === null) {
      this.draw(`${formatBytes(doneBytes)} read ${rate} ${label}`);
      return;
    }
    const frac = this.totalBytes > 0 ? Math.min(1, doneBytes / this.totalBytes) : 0;
    const width = 24;
    const filled = Math.round(frac * width);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
    const eta = frac > 0 ? (secs / frac) * (1 - frac) : Number.NaN;
    this.draw(
      `[${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ${formatBytes(doneBytes)}/${formatBytes(this.totalBytes)} ${rate} ETA ${formatSeconds(eta)} ${label}`,
    );
  }

  private draw(line: string): void {
    const cols = this.stream.columns || 120;
    this.stream.write(`\r${line.slice(0, cols - 1).padEnd(cols - 1)}`);
    this.drawn = true;
  }

  /** Clears the bar so a log line can be printed. */
  clear(): void {
    if (!this.drawn) return;
    const cols = this.stream.columns || 120;
    this.stream.write(`\r${' '.repeat(cols - 1)}\r`);
    this.drawn = false;
  }
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(v < 10 && u > 0 ? 1 : 0)} ${units[u]}`;
}

export function formatRate(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '--';
  if (s < 60) return `${s.toFixed(0)}s`;
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}
