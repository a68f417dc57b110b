import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mainEnglish } from '../src/internal/i18n.js';
import { stageEnglish } from '../src/stage/stage-messages.js';

/*
 * Each element carries only its own English (`OnAirElement.english`): the
 * stage elements their catalog, the others the main one. A key an element
 * shows but its catalog lacks would show as the key itself, so every key the
 * sources pass to `t` (a literal, or each branch of a conditional) is checked
 * against the element's catalog.
 */

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** The string literals in the first argument of each `this.t(...)` call of `source`. */
function keysShown(source: string): string[] {
  const keys: string[] = [];
  for (const call of source.matchAll(/\bthis\.t\(\s*([^,)]*)/g)) {
    for (const literal of (call[1] as string).matchAll(/'(\w+)'/g)) keys.push(literal[1] as string);
  }
  return keys;
}

describe('the elements’ English catalogs', () => {
  it('hold every key each stage element shows', async () => {
    for (const file of [
      'stage/stage.component.ts',
      'stage-join/stage-join.component.ts',
      'stage-manager/stage-manager.component.ts',
    ]) {
      const keys = keysShown(await readFile(SRC + file, 'utf8'));
      expect(keys.length, file).toBeGreaterThan(3);
      expect(
        keys.filter((key) => !(key in stageEnglish)),
        file,
      ).toEqual([]);
    }
  });

  it('repeat the main catalog’s English where the stage shares a key', () => {
    for (const [key, text] of Object.entries(stageEnglish)) {
      if (key in mainEnglish) expect(text, key).toBe(mainEnglish[key as keyof typeof mainEnglish]);
    }
  });
});
