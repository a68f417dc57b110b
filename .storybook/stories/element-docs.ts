import manifest from 'virtual:onair-elements-manifest';
import { elementDocsMarkdown } from '../../packages/elements/build/manifest-docs.js';

/**
 * An element's story parameters for its Docs page: the reference the custom
 * elements manifest holds for `tag` (description, attributes, properties,
 * events, slots, CSS parts and custom properties), as the page's text.
 */
export function elementDocs(tag: string) {
  return { docs: { description: { component: elementDocsMarkdown(manifest, tag) } } };
}
