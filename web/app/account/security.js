// Account > Password (POST /auth/change-password) and PIN code (POST/PUT/DELETE /auth/pin-code:
// set the first one, change it with the old PIN, or reset it with the account password).
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { toast } from '../ui/toast.js';

/** A form whose submit runs `action`, showing Immich's message under it when it fails. */
function actionForm(/** @type {string} */ id, /** @type {Node[]} */ children, /** @type {() => Promise<void>} */ action) {
  const error = h('p.form-error', { role: 'alert', hidden: true });
  const form = /** @type {HTMLFormElement} */ (h('form.account-form', { id, onsubmit: async (/** @type {Event} */ e) => {
    e.preventDefault();
    error.hidden = true;
    try { await action(); form.reset(); } catch (err) { error.textContent = /** @type {any} */ (err).message; error.hidden = false; }
  } }, children, error));
  return form;
}

const input = (/** @type {string} */ label, /** @type {Record<string, any>} */ attrs) => {
  const el = /** @type {HTMLInputElement} */ (h('input', attrs));
  return { el, row: attrs.type === 'checkbox' ? h('label.check', null, el, h('span', null, label)) : h('label', null, label, el) };
};
const pin = (/** @type {string} */ label, /** @type {string} */ name) =>
  input(label, { type: 'password', name, inputmode: 'numeric', pattern: '\\d{6}', maxlength: 6, required: true, autocomplete: 'off', title: 'Six digits' });

export function passwordSection() {
  const current = input('Current password', { type: 'password', name: 'password', required: true, autocomplete: 'current-password' });
  const next = input('New password', { type: 'password', name: 'newPassword', required: true, autocomplete: 'new-password' });
  const again = input('Confirm the new password', { type: 'password', name: 'confirm', required: true, autocomplete: 'new-password' });
  const logoutOthers = input('Log out of all other devices', { type: 'checkbox', name: 'invalidateSessions' });
  return actionForm('password-form', [current.row, next.row, again.row, logoutOthers.row,
    h('div.actions', null, h('button.primary', { type: 'submit' }, 'Change password'))], async () => {
    if (next.el.value !== again.el.value) throw new Error('The new passwords differ');
    await api.post('/auth/change-password', { body: { password: current.el.value, newPassword: next.el.value, invalidateSessions: logoutOthers.el.checked } });
    toast('Password changed', { kind: 'success' });
  });
}

/** @param {import('../router.js').ViewContext} ctx */
export async function pinSection(ctx) {
  const box = h('div.pin-section');
  const render = async () => {
    const status = await api.get('/auth/status', { signal: ctx.signal });
    if (!status.pinCode) {
      const code = pin('New PIN code (6 digits)', 'pinCode');
      const confirmCode = pin('Confirm the PIN code', 'confirmPin');
      replace(box, h('p.muted', null, 'A PIN code protects the locked folder.'), actionForm('pin-setup-form', [code.row, confirmCode.row,
        h('div.actions', null, h('button.primary', { type: 'submit' }, 'Set PIN code'))], async () => {
        if (code.el.value !== confirmCode.el.value) throw new Error('The PIN codes differ');
        await api.post('/auth/pin-code', { body: { pinCode: code.el.value } });
        toast('PIN code set', { kind: 'success' });
        await render();
      }));
      return;
    }
    const old = pin('Current PIN code', 'pinCode');
    const fresh = pin('New PIN code', 'newPinCode');
    const password = input('Account password', { type: 'password', name: 'password', required: true, autocomplete: 'current-password' });
    replace(box,
      h('h3', null, 'Change PIN code'),
      actionForm('pin-change-form', [old.row, fresh.row, h('div.actions', null, h('button.primary', { type: 'submit' }, 'Change PIN code'))], async () => {
        await api.put('/auth/pin-code', { body: { pinCode: old.el.value, newPinCode: fresh.el.value } });
        toast('PIN code changed', { kind: 'success' });
      }),
      h('h3', null, 'Forgot it? Reset with your password'),
      actionForm('pin-reset-form', [password.row, h('div.actions', null, h('button.danger', { type: 'submit' }, 'Reset PIN code'))], async () => {
        await api.del('/auth/pin-code', { body: { password: password.el.value } });
        toast('PIN code removed');
        await render();
      }));
  };
  await render();
  return box;
}
