import { css, html, nothing, type TemplateResult } from 'lit';

/** The words of a {@link confirmDialog}, already translated. */
export interface ConfirmDialogText {
  title: string;
  /** More words under the title, when the title does not say it all. */
  description?: string;
  /** The destructive choice. */
  confirm: string;
  /** The safe choice: focused when the dialog opens. */
  cancel: string;
}

/**
 * A modal confirmation as a native `<dialog>` (focus trapped, Escape
 * cancels), labelled by its title and described by its text. Render it once
 * in the element's shadow root and open it with {@link askConfirm}. Styled
 * by `--onair-dialog-*` properties the element maps to its own.
 */
export const confirmDialog = (text: ConfirmDialogText): TemplateResult => html`<dialog
  part="dialog"
  class="confirm"
  aria-labelledby="confirm-title"
  aria-describedby=${text.description ? 'confirm-description' : nothing}
>
  <form method="dialog">
    <h2 id="confirm-title">${text.title}</h2>
    ${text.description ? html`<p id="confirm-description">${text.description}</p>` : nothing}
    <div class="actions">
      <button value="cancel" autofocus>${text.cancel}</button>
      <button value="confirm" class="primary">${text.confirm}</button>
    </div>
  </form>
</dialog>`;

/**
 * Opens a {@link confirmDialog} modally; resolves true when its confirm
 * button closed it, false on cancel, Escape or a close from code.
 */
export function askConfirm(dialog: HTMLDialogElement): Promise<boolean> {
  if (!dialog.open) {
    dialog.returnValue = '';
    dialog.showModal();
    // The safe choice has the focus (autofocus may not apply inside a shadow root).
    dialog.querySelector<HTMLButtonElement>('button[value="cancel"]')?.focus();
  }
  return new Promise((resolve) =>
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), {
      once: true,
    }),
  );
}

/** Styles of {@link confirmDialog}; the host sets the `--onair-dialog-*` properties. */
export const confirmDialogStyles = css`
  dialog.confirm {
    max-width: min(24rem, calc(100vw - 2rem));
    padding: calc(var(--_s) * 4) calc(var(--_s) * 5);
    border: 1px solid var(--onair-dialog-border, var(--_line));
    border-radius: var(--onair-dialog-radius, var(--_r));
    background: var(--onair-dialog-background, var(--_bg));
    color: var(--onair-dialog-foreground, var(--_fg));
    font: inherit;
  }
  dialog.confirm::backdrop {
    background: rgb(0 0 0 / 0.6);
  }
  dialog.confirm h2 {
    margin: 0 0 calc(var(--_s) * 2);
    font-size: 1.1em;
  }
  dialog.confirm p {
    margin: 0 0 calc(var(--_s) * 4);
    opacity: 0.85;
  }
  dialog.confirm .actions {
    display: flex;
    justify-content: flex-end;
    gap: calc(var(--_s) * 2);
  }
`;
