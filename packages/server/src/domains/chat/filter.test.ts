import { describe, expect, it } from 'vitest';
import { ChatFilter } from './filter.js';

const author = { id: 'usr_1', displayName: 'Someone' };

describe('ChatFilter', () => {
  it('masks whole words and phrases, case-insensitively, in any script', async () => {
    const filter = new ChatFilter(
      { words: ['darn', 'heck no', 'tonto', 'a.b'] },
      undefined,
      () => {},
    );
    const apply = (text: string) => filter.apply({ streamId: 's', author, text });
    expect(await apply('DARN it, darn!')).toBe('**** it, ****!');
    expect(await apply('darning and undarn stay')).toBe('darning and undarn stay');
    expect(await apply('heck no')).toBe('**** **');
    expect(await apply('no seas tonto')).toBe('no seas *****');
    // Regular-expression characters in the list are literal.
    expect(await apply('axb a.b')).toBe('axb *.*');
  });

  it('refuses instead of masking with action deny', async () => {
    const filter = new ChatFilter({ words: ['darn'], action: 'deny' }, undefined, () => {});
    await expect(filter.apply({ streamId: 's', author, text: 'darn' })).rejects.toMatchObject({
      code: 'MESSAGE_REJECTED',
    });
  });

  it('applies the review verdict, and the fallback when the hook fails, times out or answers nonsense', async () => {
    const logs: string[] = [];
    const verdicts: Record<string, unknown> = {
      allow: { action: 'allow' },
      deny: { action: 'deny' },
      rewrite: { action: 'rewrite', text: '  cleaned  ' },
      empty: { action: 'rewrite', text: '   ' },
      nonsense: { action: 'launch' },
    };
    const make = (fallback: 'allow' | 'deny') =>
      new ChatFilter(
        undefined,
        {
          timeoutMs: 30,
          fallback,
          review: async ({ text }) => {
            if (text === 'throw') throw new Error('down');
            if (text === 'slow') await new Promise((r) => setTimeout(r, 200));
            return (verdicts[text] ?? { action: 'allow' }) as never;
          },
        },
        (line) => logs.push(line),
      );
    const lenient = make('allow');
    const strict = make('deny');
    const apply = (f: ChatFilter, text: string) => f.apply({ streamId: 's', author, text });
    expect(await apply(lenient, 'allow')).toBe('allow');
    await expect(apply(lenient, 'deny')).rejects.toMatchObject({ code: 'MESSAGE_REJECTED' });
    expect(await apply(lenient, 'rewrite')).toBe('cleaned');
    await expect(apply(lenient, 'empty')).rejects.toMatchObject({ code: 'MESSAGE_REJECTED' });
    expect(await apply(lenient, 'nonsense')).toBe('nonsense');
    expect(await apply(lenient, 'throw')).toBe('throw');
    expect(await apply(lenient, 'slow')).toBe('slow');
    await expect(apply(strict, 'throw')).rejects.toMatchObject({ code: 'MESSAGE_REJECTED' });
    await expect(apply(strict, 'slow')).rejects.toMatchObject({ code: 'MESSAGE_REJECTED' });
    expect(logs.some((l) => l.includes('timed out'))).toBe(true);
    expect(logs.join('\n')).not.toContain('Someone');
  });
});
