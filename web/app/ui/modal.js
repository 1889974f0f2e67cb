// A modal dialog on <dialog> (focus trap, Escape, backdrop by the browser), and confirm/prompt.
import { h } from '../dom.js';

/**
 * Show a dialog; resolves with what `close(value)` was given (undefined on Escape).
 * @param {string} title
 * @param {(close: (value?: any) => void) => (Node | Node[])} body
 * @returns {Promise<any>}
 */
export function modal(title, body) {
  return new Promise((resolve) => {
    const dialog = /** @type {HTMLDialogElement} */ (h('dialog.modal', { 'aria-label': title }));
    let value;
    const close = (/** @type {any} */ v) => { value = v; dialog.close(); };
    dialog.append(h('h2', null, title), ...[body(close)].flat());
    dialog.addEventListener('close', () => { dialog.remove(); resolve(value); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/**
 * Ask yes/no. @param {string} message
 * @param {{title?: string, ok?: string, danger?: boolean}} [opts]
 * @returns {Promise<boolean>}
 */
export async function confirm(message, opts = {}) {
  const answer = await modal(opts.title || 'Confirm', (close) => [
    h('p', null, message),
    h('div.actions', null,
      h('button', { type: 'button', onclick: () => close(false) }, 'Cancel'),
      h(`button.primary${opts.danger ? '.danger' : ''}`, { type: 'button', autofocus: true, onclick: () => close(true) }, opts.ok || 'OK')),
  ]);
  return answer === true;
}

/**
 * Ask for a line of text. Resolves null when cancelled.
 * @param {string} label @param {{title?: string, value?: string, type?: string}} [opts]
 * @returns {Promise<string | null>}
 */
export async function prompt(label, opts = {}) {
  const input = /** @type {HTMLInputElement} */ (h('input', { type: opts.type || 'text', value: opts.value || '', 'aria-label': label, autofocus: true }));
  const answer = await modal(opts.title || label, (close) => h('form', { method: 'dialog', onsubmit: (/** @type {Event} */ e) => { e.preventDefault(); close(input.value); } },
    h('label', null, label, input),
    h('div.actions', null,
      h('button', { type: 'button', onclick: () => close(null) }, 'Cancel'),
      h('button.primary', { type: 'submit' }, 'OK'))));
  return typeof answer === 'string' ? answer : null;
}
