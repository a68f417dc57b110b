/**
 * An element's reference in Markdown, from the custom elements manifest
 * (dist/custom-elements.json): its description, then tables of its
 * attributes and properties, events, slots, CSS parts and CSS custom
 * properties. Storybook shows it on each element's Docs page.
 */

/** The parts of the manifest (schema 2.x) this reads. */
export interface ManifestDocs {
  modules: Array<{ declarations?: ManifestDeclaration[] }>;
}

interface Item {
  name: string;
  description?: string;
  type?: { text?: string };
  default?: string;
}

/** One declaration of the manifest (an element's class, or anything else). */
export interface ManifestDeclaration {
  name: string;
  tagName?: string;
  customElement?: boolean;
  description?: string;
  attributes?: Array<Item & { fieldName?: string }>;
  members?: Array<Item & { kind?: string; privacy?: string; static?: boolean }>;
  events?: Item[];
  slots?: Item[];
  cssParts?: Item[];
  cssProperties?: Item[];
}

/** Text fit for a table cell: one line, `|` escaped, `{@link X}` as `X`. */
function cell(text: string | undefined): string {
  return (text ?? '')
    .replace(/\{@link\s+([^}\s]+)[^}]*\}/g, '`$1`')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
}

/** Code in a table cell (a type, a name); empty stays empty. Backticks inside take a double fence. */
function code(text: string | undefined): string {
  if (!text) return '';
  return text.includes('`') ? `\`\` ${cell(text)} \`\`` : `\`${cell(text)}\``;
}

function table(title: string, head: string[], rows: string[][]): string {
  if (rows.length === 0) return '';
  return [
    `### ${title}`,
    '',
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
  ].join('\n');
}

/** The element registered as `tag`, or undefined. */
export function findElement(manifest: ManifestDocs, tag: string): ManifestDeclaration | undefined {
  return manifest.modules
    .flatMap((module) => module.declarations ?? [])
    .find((declaration) => declaration.customElement && declaration.tagName === tag);
}

/** `tag`'s reference in Markdown; throws when the manifest has no such element. */
export function elementDocsMarkdown(manifest: ManifestDocs, tag: string): string {
  const element = findElement(manifest, tag);
  if (!element) throw new Error(`${tag} is not in the custom elements manifest`);
  const attributes = element.attributes ?? [];
  const byField = new Set(attributes.map((a) => a.fieldName));
  // Properties without an attribute (objects: client, store, …) and public methods.
  const properties = (element.members ?? []).filter(
    (m) => m.kind === 'field' && !byField.has(m.name) && (m.privacy ?? 'public') === 'public',
  );
  const methods = (element.members ?? []).filter(
    (m) => m.kind === 'method' && (m.privacy ?? 'public') === 'public',
  );
  return [
    `${element.description ?? ''}\n`,
    table(
      'Attributes',
      ['Attribute', 'Property', 'Type', 'Default', 'Description'],
      attributes.map((a) => [
        code(a.name),
        code(a.fieldName),
        code(a.type?.text),
        code(a.default),
        cell(a.description),
      ]),
    ),
    table(
      'Properties (JavaScript only)',
      ['Property', 'Type', 'Description'],
      properties.map((p) => [code(p.name), code(p.type?.text), cell(p.description)]),
    ),
    table(
      'Methods',
      ['Method', 'Description'],
      methods.map((m) => [code(`${m.name}()`), cell(m.description)]),
    ),
    table(
      'Events',
      ['Event', 'Description'],
      (element.events ?? []).map((e) => [code(e.name), cell(e.description)]),
    ),
    table(
      'Slots',
      ['Slot', 'Description'],
      (element.slots ?? []).map((s) => [s.name ? code(s.name) : '(default)', cell(s.description)]),
    ),
    table(
      'CSS parts',
      ['Part', 'Description'],
      (element.cssParts ?? []).map((p) => [code(p.name), cell(p.description)]),
    ),
    table(
      'CSS custom properties',
      ['Property', 'Description'],
      (element.cssProperties ?? []).map((p) => [code(p.name), cell(p.description)]),
    ),
  ]
    .filter(Boolean)
    .join('\n');
}
