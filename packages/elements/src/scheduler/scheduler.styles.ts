import { formStyles } from '../internal/form.styles.js';

export const schedulerStyles = formStyles;
