import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progress';

function terminal(): { stream: NodeJS.WriteStream; text: () => string } {
  let out = '';
  const stream = {
    isTTY: true,
    columns: 100,
    write: (s: string) => {
      out += s;
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { stream, text: () => out.replace(/\r/g, '').trimEnd() };
}

describe('ProgressBar', () => {
  it('files of known size: a bar, the share done and an ETA', () => {
    const t = terminal();
    new ProgressBar(4_000_000, t.stream).update(1_000_000, 5_000, 'a.pcap');
    expect(t.text()).toMatch(/^\[#{6}-{18}\] {2}25% 1\.0 MB\/4\.0 MB \S+ pkt\/s ETA \S+ a\.pcap$/);
  });

  it('a stream among the inputs (size unknown): bytes read and the rate, no bar or ETA', () => {
    const t = terminal();
    new ProgressBar(null, t.stream).update(2_500_000, 5_000, '-');
    expect(t.text()).toMatch(/^2\.5 MB read \S+ pkt\/s -$/);
  });

  it('silent when not on a terminal', () => {
    let out = '';
    const pipe = {
      isTTY: false,
      write: (s: string) => (out += s),
    } as unknown as NodeJS.WriteStream;
    new ProgressBar(10, pipe).update(5, 1, 'x');
    expect(out).toBe('');
  });
});
