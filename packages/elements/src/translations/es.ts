/**
 * `@onair/elements/translations/es`: the Spanish strings of every OnAir
 * element, the analytics elements' included. Importing it registers them
 * (`registerTranslation('es', …)`): elements under `lang="es"`, `lang="es-MX"`
 * and the like then speak Spanish. The CDN build registers the strings of
 * the elements it has (all but the analytics').
 *
 * @example
 * ```ts
 * import '@onair/elements';
 * import '@onair/elements/translations/es';
 *
 * document.documentElement.lang = 'es';
 * ```
 * @packageDocumentation
 */
import { registerTranslation } from '../internal/i18n.js';
import { SPANISH, SPANISH_ANALYTICS } from './es-strings.js';

registerTranslation('es', { ...SPANISH, ...SPANISH_ANALYTICS });
