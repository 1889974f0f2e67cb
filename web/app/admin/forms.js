// Small form pieces shared by the admin and account screens: a dialog with a form whose submit
// runs an async action (the dialog stays open and shows Immich's message when it fails), and
// quota conversions (the API speaks bytes, people speak GiB).
import { h } from '../dom.js';
import { modal } from '../ui/modal.js';

const GIB = 1024 ** 3;

/** Bytes -> GiB as the input shows it ('' for unlimited). @param {number | null | undefined} bytes */
export const toGiB = (bytes) => (bytes === null || bytes === undefined ? '' : String(Math.round((bytes / GIB) * 100) / 100));
/** GiB text -> bytes (null for empty: unlimited). @param {string} text */
export const fromGiB = (text) => (text.trim() === '' ? null : Math.round(Number(text) * GIB));

/**
 * A dialog with a form: `submit()` runs on Save; it resolves what the dialog resolves with, or
 * throws to keep the dialog open with the error shown. Resolves undefined when cancelled.
 * @param {string} title
 * @param {Node[]} fields
 * @param {() => Promise<any>} submit
 * @param {{ok?: string, danger?: boolean, id?: string}} [opts]
 */
export function formDialog(title, fields, submit, opts = {}) {
  return modal(title, (close) => {
    const error = h('p.form-error', { role: 'alert', hidden: true });
    const ok = /** @type {HTMLButtonElement} */ (h(`button.primary${opts.danger ? '.danger' : ''}`, { type: 'submit' }, opts.ok || 'Save'));
    return h('form.dialog-form', {
      id: opts.id,
      onsubmit: async (/** @type {Event} */ e) => {
        e.preventDefault();
        error.hidden = true;
        ok.disabled = true;
        try {
          close(await submit());
        } catch (err) {
          error.textContent = /** @type {any} */ (err)?.message || String(err);
          error.hidden = false;
        } finally {
          ok.disabled = false;
        }
      },
    }, fields, error, h('div.actions', null, h('button', { type: 'button', onclick: () => close(undefined) }, 'Cancel'), ok));
  });
}

/**
 * A labelled input. @param {string} label @param {Record<string, any>} attrs
 * @returns {[HTMLElement, HTMLInputElement]} the label (with the input) and the input
 */
export function field(label, attrs) {
  const input = /** @type {HTMLInputElement} */ (h('input', attrs));
  if (attrs.type === 'checkbox') return [h('label.check', null, input, h('span', null, label)), input];
  return [h('label', null, label, input), input];
}
