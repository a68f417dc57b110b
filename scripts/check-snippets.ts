/**
 * Type-checks every ```ts and ```tsx block of README.md, docs/**\/*.md and
 * packages/*\/README.md, so the documentation cannot drift from the API
 * (`pnpm check:snippets`, part of `pnpm test`).
 *
 * Each block becomes its own module under node_modules/.cache/onair-snippets
 * and is checked with scripts/snippets/tsconfig.json: the repository's strict
 * settings (`exactOptionalPropertyTypes`, `noUncheckedIndexedAccess`), React
 * JSX, and `@onair/*` resolved to the workspace sources through the
 * `@onair/source` condition (no build needed). An error is reported at its
 * line in the Markdown file.
 *
 * The info string after the language changes how a block is checked:
 * - `fragment`: it continues what the prose set up, so the names of
 *   scripts/snippets/prelude.d.ts (`client`, `stream`, `streamId`, `video`,
 *   `getToken`) are declared for it;
 * - `nocheck`: it is deliberately partial and not checked (use sparingly).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const configDir = join(root, 'scripts/snippets');
const outDir = join(root, 'node_modules/.cache/onair-snippets');

/** A fenced block found in a Markdown file. */
interface Snippet {
  /** Markdown file, relative to the repository root. */
  source: string;
  /** 1-based line of the block's first code line in the Markdown file. */
  line: number;
  /** Columns of indentation removed from every line (blocks inside lists). */
  indent: number;
  lang: 'ts' | 'tsx';
  fragment: boolean;
  code: string;
}

/** README.md, docs/**\/*.md and packages/*\/README.md, sorted. */
function markdownFiles(): string[] {
  const files = ['README.md'];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  walk('docs');
  for (const entry of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
    const readme = `packages/${entry.name}/README.md`;
    if (
      entry.isDirectory() &&
      readdirSync(join(root, 'packages', entry.name)).includes('README.md')
    )
      files.push(readme);
  }
  return files.sort();
}

/** The ```ts and ```tsx blocks of one Markdown file (other languages are left alone). */
function extractSnippets(source: string, text: string): Snippet[] {
  const lines = text.split(/\r?\n/);
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})\s*([^`]*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indentText = '', fence = '```', info = ''] = open;
    const closing = new RegExp(`^\\s*${fence}\`*\\s*$`);
    let end = i + 1;
    while (end < lines.length && !closing.test(lines[end] ?? '')) end++;
    const [lang, ...flags] = info.trim().split(/\s+/);
    if ((lang === 'ts' || lang === 'tsx') && !flags.includes('nocheck')) {
      const indent = indentText.length;
      snippets.push({
        source,
        line: i + 2,
        indent,
        lang,
        fragment: flags.includes('fragment'),
        code: lines
          .slice(i + 1, end)
          .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
          .join('\n'),
      });
    }
    i = end;
  }
  return snippets;
}

/** Writes the snippets as modules; returns each generated file's snippet. */
function writeSnippets(snippets: readonly Snippet[]): Map<string, Snippet> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const byFile = new Map<string, Snippet>();
  for (const snippet of snippets) {
    const name = `${snippet.source.replace(/[^A-Za-z0-9]+/g, '_')}_L${snippet.line}.${snippet.lang}`;
    const file = join(outDir, name);
    writeFileSync(file, `${snippet.code}\n`);
    byFile.set(file, snippet);
  }
  return byFile;
}

function compilerOptions(): ts.CompilerOptions {
  const configFile = join(configDir, 'tsconfig.json');
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(
    { ...read.config, files: [], include: [] },
    ts.sys,
    configDir,
    undefined,
    configFile,
  );
  const fatal = parsed.errors.filter((e) => e.code !== 18002 && e.code !== 18003);
  if (fatal.length > 0) throw new Error(ts.formatDiagnostics(fatal, formatHost));
  return parsed.options;
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => root,
  getNewLine: () => '\n',
};

/** Type-checks the files; returns one message per error, located in the Markdown. */
function check(
  files: readonly string[],
  byFile: ReadonlyMap<string, Snippet>,
  options: ts.CompilerOptions,
  oldProgram?: ts.Program,
): { messages: string[]; program: ts.Program } {
  const program = ts.createProgram({
    rootNames: files,
    options,
    ...(oldProgram ? { oldProgram } : {}),
  });
  const messages: string[] = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    if (diagnostic.category !== ts.DiagnosticCategory.Error) continue;
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ');
    const snippet = diagnostic.file ? byFile.get(resolve(diagnostic.file.fileName)) : undefined;
    if (!diagnostic.file || diagnostic.start === undefined) {
      messages.push(`error TS${diagnostic.code}: ${text}`);
    } else if (!snippet) {
    } else {
      const at = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      messages.push(
        `${snippet.source}:${snippet.line + at.line}:${snippet.indent + at.character + 1} error TS${diagnostic.code}: ${text}`,
      );
    }
  }
  return { messages, program };
}

function main(): void {
  const snippets = markdownFiles().flatMap((file) =>
    extractSnippets(file, readFileSync(join(root, file), 'utf8')),
  );
  const byFile = writeSnippets(snippets);
  const options = compilerOptions();
  const whole = [...byFile].filter(([, s]) => !s.fragment).map(([f]) => f);
  const fragments = [...byFile].filter(([, s]) => s.fragment).map(([f]) => f);
  // Fragments get the prelude's globals; whole snippets are checked without them.
  const first = check(whole, byFile, options);
  const second = fragments.length
    ? check([...fragments, join(configDir, 'prelude.d.ts')], byFile, options, first.program)
    : { messages: [] };
  const messages = [...first.messages, ...second.messages];
  const sources = new Set(snippets.map((s) => s.source));
  if (messages.length > 0) {
    console.error(messages.join('\n'));
    console.error(
      `\n${messages.length} error(s) in the documentation's code blocks (${relative(root, outDir)} holds them as modules).`,
    );
    process.exitCode = 1;
    return;
  }
  console.log(
    `check:snippets: ${snippets.length} code blocks in ${sources.size} Markdown files type-check (${fragments.length} fragments).`,
  );
}

main();
