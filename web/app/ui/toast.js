// Short messages at the bottom of the screen; errors stay until clicked.
import { h } from '../dom.js';

/** @type {HTMLElement | null} */
let host = null;

/**
 * @param {string} message
 * @param {{kind?: 'info'|'error'|'success', timeout?: number}} [opts]
 */
export function toast(message, opts = {}) {
  const kind = opts.kind || 'info';
  if (!host || !host.isConnected) {
    host = h('div.toasts', { role: 'status', 'aria-live': 'polite' });
    document.body.append(host);
  }
  const el = h(`div.toast.${kind}`, { onclick: () => el.remove() }, message);
  host.append(el);
  const timeout = opts.timeout ?? (kind === 'error' ? 8000 : 3000);
  if (timeout) setTimeout(() => el.remove(), timeout);
  return el;
}

/** A toast for a failed call: Immich's message. @param {any} err */
export const toastError = (err) => toast(err?.message || String(err), { kind: 'error' });
