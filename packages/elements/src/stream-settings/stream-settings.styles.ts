import { confirmDialogStyles } from '../internal/confirm-dialog.js';
import { formStyles } from '../internal/form.styles.js';

export const streamSettingsStyles = [formStyles, confirmDialogStyles];
