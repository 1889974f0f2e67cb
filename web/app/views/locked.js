// The locked folder: assets with visibility "locked", seen only after entering the PIN code.
// No PIN yet: set one up (POST /auth/pin-code). Locked session: unlock it
// (POST /auth/session/unlock). Unlocked: the assets, a way to move them out, and "Lock".
import * as api from '../api.js';
import { h, icon, replace } from '../dom.js';
import { ICONS } from '../icons.js';
import { toast, toastError } from '../ui/toast.js';
import { libraryPage } from '../albums/library-page.js';
import { DOWNLOAD, TRASH, moveTo } from '../albums/actions.js';

const PIN = { type: 'password', inputmode: 'numeric', pattern: '[0-9]{6}', maxlength: 6, minlength: 6, required: true, autocomplete: 'off' };

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const el = h('div.locked-view');
  /** @type {(() => void) | null} */
  let destroyGrid = null;

  async function show() {
    const status = await api.get('/auth/status', { signal: ctx.signal });
    destroyGrid?.();
    destroyGrid = null;
    if (!status.pinCode) return replace(el, setupForm());
    if (!status.isElevated) return replace(el, unlockForm());
    const lock = h('button#lock-folder', { type: 'button', onclick: async () => {
      try { await api.post('/auth/session/lock'); await show(); } catch (err) { toastError(err); }
    } }, icon(ICONS.locked), h('span', null, 'Lock'));
    const page = libraryPage(ctx, {
      title: 'Locked folder', id: 'locked-assets', buttons: [lock],
      note: 'Locked photos stay out of the timeline, albums, search and shared links.',
      filter: { visibility: 'locked' }, own: true,
      empty: 'Nothing locked yet. Move photos here to keep them behind your PIN.',
      actions: [moveTo('timeline', 'Move out of locked folder'), DOWNLOAD, TRASH],
    });
    destroyGrid = page.destroy;
    replace(el, page.el);
  }

  /** @param {string} title @param {string} text @param {Node[]} fields @param {string} submit @param {(error: HTMLElement) => Promise<void>} run */
  function card(title, text, fields, submit, run) {
    const error = h('p.form-error#pin-error', { role: 'alert', hidden: true });
    const button = h('button.primary', { type: 'submit' }, submit);
    return h('div.auth-page.locked-page', null, h('form.auth-card#pin-form', { onsubmit: async (/** @type {Event} */ e) => {
      e.preventDefault();
      error.hidden = true;
      button.disabled = true;
      try { await run(error); } catch (err) {
        error.textContent = /** @type {any} */ (err).message;
        error.hidden = false;
      } finally { button.disabled = false; }
    } }, h('div.locked-icon', null, icon(ICONS.locked)), h('h1', null, title), h('p', null, text), fields, error, button));
  }

  function setupForm() {
    const pin = /** @type {HTMLInputElement} */ (h('input#pin-new', { ...PIN, autofocus: true }));
    const again = /** @type {HTMLInputElement} */ (h('input#pin-confirm', PIN));
    return card('Set up a PIN code', 'Choose a 6-digit PIN to protect your locked folder.',
      [h('label', null, 'New PIN code', pin), h('label', null, 'Confirm PIN code', again)], 'Create PIN',
      async (error) => {
        if (pin.value !== again.value) {
          error.textContent = 'The PIN codes do not match';
          error.hidden = false;
          return;
        }
        await api.post('/auth/pin-code', { body: { pinCode: pin.value } });
        toast('PIN code created', { kind: 'success' });
        await show();
      });
  }

  function unlockForm() {
    const pin = /** @type {HTMLInputElement} */ (h('input#pin-unlock', { ...PIN, autofocus: true }));
    return card('Locked folder', 'Enter your PIN code to open the locked folder.',
      [h('label', null, 'PIN code', pin)], 'Unlock',
      async () => {
        await api.post('/auth/session/unlock', { body: { pinCode: pin.value } });
        await show();
      });
  }

  await show();
  return { el, destroy: () => destroyGrid?.() };
}
