/// <reference types="node" />
import { readFile } from 'node:fs/promises';

/** Tags whose templates are markup or styles: their static text may lose layout whitespace. */
const TAGS = new Set(['html', 'css', 'svg']);

/**
 * A stylesheet's text without what CSS ignores: comments, spaces around
 * `{`, `}`, `;`, `,` and `>` and after `:`, and a rule's last `;`. Quoted
 * strings are kept as written (a quote in a comment starts none). (A space
 * before `:` is kept: in a selector it is a descendant combinator.)
 */
export function squeezeCss(text: string): string {
  return text
    .replace(/(\/\*[\s\S]*?\*\/)|"[^"]*"|'[^']*'/g, (kept, comment?: string) =>
      comment ? '' : kept,
    )
    .split(/("[^"]*"|'[^']*')/)
    .map((part, i) =>
      i % 2
        ? part
        : part
            .replace(/\s+/g, ' ')
            .replace(/\s*([{};,>])\s*/g, '$1')
            .replace(/:\s+/g, ':')
            .replace(/;}/g, '}'),
    )
    .join('');
}

/**
 * Collapses the layout whitespace (a run holding a line break) in the
 * static text of Lit's `html`, `css` and `svg` templates to one space. The
 * browser collapses such runs the same way in normal flow (no element here
 * lays out template whitespace as `pre`), so what renders is unchanged;
 * expressions (`${…}`), strings and other templates are left as written.
 */
export function minifyTemplates(source: string): string {
  let out = '';
  let i = 0;
  /** Copies code up to the end of `source` or an unmatched `}` (the end of an expression). */
  const code = (): void => {
    let depth = 0;
    while (i < source.length) {
      const c = source[i] as string;
      if (c === '{') depth++;
      else if (c === '}') {
        if (depth === 0) return;
        depth--;
      } else if (c === "'" || c === '"') {
        quoted(c);
        continue;
      } else if (c === '/' && source[i + 1] === '/') {
        const end = source.indexOf('\n', i);
        const stop = end === -1 ? source.length : end;
        out += source.slice(i, stop);
        i = stop;
        continue;
      } else if (c === '/' && source[i + 1] === '*') {
        const end = source.indexOf('*/', i + 2);
        const stop = end === -1 ? source.length : end + 2;
        out += source.slice(i, stop);
        i = stop;
        continue;
      } else if (c === '`') {
        const tag = /([A-Za-z_$][\w$]*)\s*$/.exec(source.slice(Math.max(0, i - 40), i))?.[1];
        template(tag !== undefined && TAGS.has(tag), tag === 'css');
        continue;
      }
      out += c;
      i++;
    }
  };
  const quoted = (quote: string): void => {
    out += quote;
    i++;
    while (i < source.length && source[i] !== quote) {
      if (source[i] === '\\') {
        out += source.slice(i, i + 2);
        i += 2;
        continue;
      }
      out += source[i];
      i++;
    }
    out += quote;
    i++;
  };
  const template = (minify: boolean, styles: boolean): void => {
    out += '`';
    i++;
    let text = '';
    const flush = () => {
      const collapsed = minify ? text.replace(/[ \t]*\r?\n\s*/g, ' ') : text;
      out += styles ? squeezeCss(collapsed) : collapsed;
      text = '';
    };
    while (i < source.length) {
      const c = source[i] as string;
      if (c === '\\') {
        text += source.slice(i, i + 2);
        i += 2;
      } else if (c === '`') {
        flush();
        out += '`';
        i++;
        return;
      } else if (c === '$' && source[i + 1] === '{') {
        flush();
        out += '${';
        i += 2;
        code();
        out += '}';
        i++;
      } else {
        text += c;
        i++;
      }
    }
    flush();
  };
  code();
  return out;
}

/**
 * esbuild plugin (tsup's `esbuildPlugins`): {@link minifyTemplates} on the
 * package's TypeScript sources. esbuild minifies code but leaves template
 * text as written.
 */
export const minifyTemplatesPlugin = {
  name: 'onair-minify-lit-templates',
  setup(build: {
    onLoad(
      options: { filter: RegExp },
      callback: (args: { path: string }) => Promise<{ contents: string; loader: 'ts' }>,
    ): void;
  }) {
    build.onLoad({ filter: /[\\/]elements[\\/]src[\\/].*\.ts$/ }, async ({ path }) => ({
      contents: minifyTemplates(await readFile(path, 'utf8')),
      loader: 'ts',
    }));
  },
};
