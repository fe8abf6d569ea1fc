import { afterEach, describe, expect, it, vi } from 'vitest';
import { runDetect } from './detect-command';

describe('scanline detect arguments', () => {
  afterEach(() => vi.restoreAllMocks());

  it('refuses bad days, sizes and counts with exit 2, naming the option', async () => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((m: unknown) => void errors.push(String(m)));
    const cases: [string[], string][] = [
      [['--from', '2020-02-30', '--to', '2020-03-01'], '--from and --to must be UTC days'],
      [['--from', '2020-03-02', '--to', '2020-03-01'], 'from <= to'],
      [['--telescope-addresses=-5'], '--telescope-addresses must be a positive integer'],
      [['--telescope-addresses', '0'], '--telescope-addresses must be a positive integer'],
      [['--top', 'abc'], '--top must be a positive integer (got abc)'],
      [['--top', '0'], '--top must be a positive integer (got 0)'],
    ];
    for (const [args, message] of cases) {
      errors.length = 0;
      expect(await runDetect([...args, '--db', 'file:does-not-matter.db']), args.join(' ')).toBe(2);
      expect(errors.join('\n')).toContain(message);
    }
  });
});
