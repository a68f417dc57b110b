/** The elements' custom elements manifest, built by .storybook/main.ts from the sources. */
declare module 'virtual:onair-elements-manifest' {
  import type { ManifestDocs } from '../packages/elements/build/manifest-docs.js';

  const manifest: ManifestDocs;
  export default manifest;
}
