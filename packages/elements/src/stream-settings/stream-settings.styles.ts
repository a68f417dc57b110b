import { formStyles } from '../internal/form.styles.js';

export const streamSettingsStyles = formStyles;
