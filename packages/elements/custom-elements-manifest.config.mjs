/**
 * The custom elements manifest (dist/custom-elements.json): every element's
 * tag, attributes and properties, events, slots, CSS parts and custom
 * properties, read from the components' TSDoc by
 * @custom-elements-manifest/analyzer. Editors (VS Code, WebStorm),
 * Storybook and documentation tools read it; `pnpm build` writes it.
 */

/**
 * Elements register through `defineElement('onair-…', Class)`, which the
 * analyzer does not know (it looks for `customElements.define`): this marks
 * the class a custom element with that tag and exports the definition.
 * Members that are not public (Lit internals, render helpers) are left out,
 * and so is what the analyzer reads into the base class `OnAirElement`.
 */
function onairElements() {
  return {
    name: 'onair-define-element',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression)) return;
      if (node.expression.text !== 'defineElement') return;
      const [tag, element] = node.arguments;
      if (!tag || !ts.isStringLiteral(tag) || !element || !ts.isIdentifier(element)) return;
      const declaration = moduleDoc.declarations?.find((d) => d.name === element.text);
      if (!declaration) return;
      declaration.customElement = true;
      declaration.tagName = tag.text;
      moduleDoc.exports = [
        ...(moduleDoc.exports ?? []),
        {
          kind: 'custom-element-definition',
          name: tag.text,
          declaration: { name: element.text, module: moduleDoc.path },
        },
      ];
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        // `defineElement` itself calls `customElements.define(name, …)`: no element named "name".
        module.exports = module.exports?.filter(
          (e) => e.kind !== 'custom-element-definition' || e.name.startsWith('onair-'),
        );
        for (const declaration of module.declarations ?? []) {
          // The base class is no element of its own; its `emit(name, …)` is no event named "name".
          if (!declaration.tagName) delete declaration.customElement;
          if (declaration.events) {
            declaration.events = declaration.events.filter(
              (event) =>
                !(
                  event.name === 'name' &&
                  (declaration.name === 'OnAirElement' ||
                    declaration.name === 'OnAirElementBase' ||
                    event.inheritedFrom?.name === 'OnAirElement' ||
                    event.inheritedFrom?.name === 'OnAirElementBase')
                ),
            );
          }
          if (!declaration.members) continue;
          // Lit's internal state (`state: true`, private fields) is no attribute either.
          const internal = new Set(
            declaration.members
              .filter((m) => m.privacy && m.privacy !== 'public')
              .map((m) => m.name),
          );
          if (declaration.attributes) {
            declaration.attributes = declaration.attributes.filter(
              (attribute) => !internal.has(attribute.fieldName),
            );
          }
          declaration.members = declaration.members.filter(
            (member) =>
              (member.privacy ?? 'public') === 'public' &&
              !member.name.startsWith('#') &&
              !member.static,
          );
        }
      }
    },
  };
}

export default {
  // The elements, and the base classes they inherit properties from.
  globs: [
    'src/**/*.component.ts',
    'src/internal/onair-element.ts',
    'src/internal/element-base.ts',
    'src/analytics/analytics-report.ts',
  ],
  exclude: ['src/**/*.test.ts', 'src/**/*.stories.ts'],
  outdir: 'dist',
  // package.json names it already (`customElements`); the analyzer would rewrite the field.
  packagejson: false,
  litelement: true,
  plugins: [onairElements()],
};
