// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the inputs are TypeScript type text holding template literal types
import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeElements } from './analyze-elements.js';
import { elementDocsMarkdown } from './manifest-docs.js';

/*
 * The custom elements manifest `pnpm build` writes (dist/custom-elements.json),
 * generated here from the sources by the same analyzer and config: every
 * element registered in the sources is in it, with what it documents.
 */

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

interface Described {
  name: string;
  description?: string;
}
interface Attribute extends Described {
  fieldName?: string;
}
interface Declaration {
  name: string;
  kind: string;
  customElement?: boolean;
  tagName?: string;
  description?: string;
  attributes?: Attribute[];
  members?: Array<Described & { privacy?: string }>;
  events?: Described[];
  slots?: Described[];
  cssParts?: Described[];
  cssProperties?: Described[];
}
interface Manifest {
  schemaVersion: string;
  modules: Array<{
    path: string;
    declarations?: Declaration[];
    exports?: Array<{ kind: string; name: string; declaration: { name: string } }>;
  }>;
}

let manifest: Manifest;
let elements: Map<string, Declaration>;

beforeAll(async () => {
  manifest = (await analyzeElements()) as Manifest;
  elements = new Map(
    manifest.modules
      .flatMap((module) => module.declarations ?? [])
      .filter((d) => d.customElement)
      .map((d) => [d.tagName as string, d]),
  );
}, 60_000);

/** Every tag the sources register with `defineElement('onair-…', …)`. */
async function registeredTags(): Promise<string[]> {
  const tags: string[] = [];
  const files = await readdir(join(PACKAGE, 'src'), { recursive: true });
  for (const file of files.filter((f) => f.endsWith('.component.ts'))) {
    const text = await readFile(join(PACKAGE, 'src', file), 'utf8');
    for (const match of text.matchAll(/defineElement\('(onair-[a-z-]+)'/g)) {
      tags.push(match[1] as string);
    }
  }
  return tags.sort();
}

/** A module's text without its comments (TSDoc, CSS comments): what runs and styles. */
async function code(file: string): Promise<string> {
  const text = await readFile(join(PACKAGE, file), 'utf8');
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
}

/**
 * The modules whose styles and templates make up an element: its own (the
 * manifest's path), and what it imports from the sources, followed through
 * (its styles, shared styles and templates such as internal/panel.styles.ts
 * or internal/device-menu.ts, a base class and its helpers). Another
 * element's module is not followed: what it renders is in its own shadow root.
 */
async function elementModules(path: string): Promise<string[]> {
  const seen = new Set([path]);
  for (const file of seen) {
    const text = await code(file);
    for (const [, spec] of text.matchAll(/(?:\bfrom|\bimport\s*\(?)\s*'(\.{1,2}\/[^']+)\.js'/g)) {
      const next = posix.join(posix.dirname(file), `${spec}.ts`);
      if (!next.endsWith('.component.ts')) seen.add(next);
    }
  }
  return [...seen];
}

/** The `--onair-*` properties an element's styles set or read, and the parts its templates render. */
async function styledNames(path: string): Promise<{ properties: Set<string>; parts: Set<string> }> {
  const properties = new Set<string>();
  const parts = new Set<string>();
  for (const file of await elementModules(path)) {
    const text = await code(file);
    // A name made at run time would escape this test: give it a literal.
    expect(text, file).not.toMatch(/--onair-[\w-]*\$\{|\spart=["']?\$\{|setAttribute\(\s*'part'/);
    for (const [name] of text.matchAll(/--onair-[a-z0-9]+(?:-[a-z0-9]+)*/g)) properties.add(name);
    // A template's `part="…"` (not a selector's `[part='…']`): one name or several.
    for (const [, ...quoted] of text.matchAll(/(?<=\s)part=(?:"([^"]*)"|'([^']*)'|([\w-]+))/g)) {
      for (const name of quoted.join(' ').split(/\s+/).filter(Boolean)) parts.add(name);
    }
  }
  return { properties, parts };
}

describe('the custom elements manifest', () => {
  it('lists every element the sources register, each with a description and its definition', async () => {
    const tags = await registeredTags();
    expect(tags.length).toBeGreaterThanOrEqual(24);
    expect([...elements.keys()].sort()).toEqual(tags);
    const definitions = manifest.modules.flatMap((m) =>
      (m.exports ?? []).filter((e) => e.kind === 'custom-element-definition').map((e) => e.name),
    );
    expect(definitions.sort()).toEqual(tags);
    for (const [tag, element] of elements) {
      expect(element.description, tag).toMatch(/\w{3}/);
    }
  });

  it('documents every attribute, event, slot, part and custom property it lists', () => {
    const undocumented: string[] = [];
    for (const [tag, element] of elements) {
      for (const [kind, list] of Object.entries({
        attribute: element.attributes,
        event: element.events,
        slot: element.slots,
        part: element.cssParts,
        property: element.cssProperties,
      })) {
        for (const item of list ?? []) {
          if (!item.description?.trim()) undocumented.push(`${tag} ${kind} ${item.name}`);
        }
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('documents every custom property its styles set or read and every part it renders', async () => {
    const paths = new Map(
      manifest.modules.flatMap((module) =>
        (module.declarations ?? [])
          .filter((d) => d.customElement)
          .map((d) => [d.tagName as string, module.path]),
      ),
    );
    // Helpers count: the chat's avatar (chat-parts.ts), the player's quality list (device-menu.ts).
    const chat = await styledNames(paths.get('onair-chat') as string);
    expect([...chat.parts]).toEqual(expect.arrayContaining(['avatar', 'messages']));
    expect([...chat.properties]).toEqual(
      // Its own, and the palette's (theme.styles.ts, through the base class).
      expect.arrayContaining(['--onair-chat-background', '--onair-accent']),
    );
    expect([...(await styledNames(paths.get('onair-player') as string)).parts]).toContain(
      'choices',
    );
    const undocumented: string[] = [];
    for (const [tag, element] of elements) {
      const { properties, parts } = await styledNames(paths.get(tag) as string);
      // Inherited ones (`--onair-accent`, set once for all) count: the base class documents them.
      const documented = new Set(element.cssProperties?.map((p) => p.name));
      const documentedParts = new Set(element.cssParts?.map((p) => p.name));
      for (const name of properties) {
        if (!documented.has(name)) undocumented.push(`${tag} property ${name}`);
      }
      for (const name of parts) {
        if (!documentedParts.has(name)) undocumented.push(`${tag} part ${name}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('reads the chat as a page author sees it: attributes, events, parts, no internals', () => {
    const chat = elements.get('onair-chat') as Declaration;
    expect(chat.attributes?.map((a) => a.name)).toEqual(
      expect.arrayContaining(['stream-id', 'readonly', 'can-moderate', 'viewer-name']),
    );
    expect(chat.events?.map((e) => e.name).sort()).toEqual(['onair-chat-error', 'onair-chat-sent']);
    expect(chat.cssParts?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['header', 'messages', 'form']),
    );
    expect(chat.cssProperties?.map((p) => p.name)).toContain('--onair-chat-accent');
    const members = chat.members?.map((m) => m.name) ?? [];
    expect(members).toEqual(expect.arrayContaining(['streamId', 'store', 'client']));
    // Lit internals and render helpers are no API.
    for (const internal of ['state', 'sendError', 'renderMessage', 'styles', 'properties']) {
      expect(members).not.toContain(internal);
    }
    expect(chat.members?.every((m) => (m.privacy ?? 'public') === 'public')).toBe(true);
    // An element's internal state (`state: true`) is no attribute.
    expect(elements.get('onair-analytics')?.attributes?.map((a) => a.name)).toEqual([
      'stream-id',
      'theme',
    ]);
    // Every element takes the base's `theme` (light, dark, auto).
    for (const element of elements.values()) {
      expect(element.attributes?.map((a) => a.name)).toContain('theme');
    }
  });

  it('is what the package points editors and tools at', async () => {
    const pkg = JSON.parse(await readFile(join(PACKAGE, 'package.json'), 'utf8')) as {
      customElements?: string;
      exports: Record<string, unknown>;
      scripts: Record<string, string>;
    };
    expect(pkg.customElements).toBe('./dist/custom-elements.json');
    expect(pkg.exports['./custom-elements.json']).toBe('./dist/custom-elements.json');
    expect(pkg.scripts.build).toContain('cem analyze');
    expect(manifest.schemaVersion).toMatch(/^\d+\.\d+/);
  });

  it('gives each element a Docs page in Markdown: description, then its tables', () => {
    const chat = elementDocsMarkdown(manifest, 'onair-chat');
    expect(chat.startsWith('Live chat of a stream')).toBe(true);
    for (const heading of ['Attributes', 'Events', 'CSS parts', 'CSS custom properties']) {
      expect(chat).toContain(`### ${heading}\n`);
    }
    expect(chat).toContain('| `can-moderate` | `canModerate` | `boolean` | `false` |');
    expect(chat).toMatch(/\| `client` \| `OnAirClient \\\| undefined` \|/);
    expect(chat).toContain(
      '| `onair-chat-sent` | A message was accepted by the server. Detail: `ChatSentDetail`. |',
    );
    // A row per line: descriptions written over several lines become one.
    for (const line of chat.split('\n').filter((l) => l.startsWith('|'))) {
      expect(line.endsWith('|'), line).toBe(true);
    }
    const list = elementDocsMarkdown(manifest, 'onair-stream-list');
    expect(list).toContain("`'live' \\| 'scheduled' \\| 'past'`");
    expect(elementDocsMarkdown(manifest, 'onair-scheduler')).toContain('| `reset()` |');
    expect(() => elementDocsMarkdown(manifest, 'onair-nothing')).toThrow(/not in the custom/);
  });

  it('fences code that holds backticks with two, and keeps `|` from splitting a row', () => {
    const docs = elementDocsMarkdown(
      {
        modules: [
          {
            declarations: [
              {
                name: 'X',
                customElement: true,
                tagName: 'x-a',
                description: 'An element.',
                attributes: [
                  { name: 'size', fieldName: 'size', type: { text: '`${number}px` | null' } },
                ],
              },
            ],
          },
        ],
      },
      'x-a',
    );
    expect(docs).toContain('| `size` | `size` | `` `${number}px` \\| null `` |  |  |');
  });
});
