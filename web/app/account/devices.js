// Account > API keys (GET/POST/PUT/DELETE /api-keys: created with permission 'all', the secret
// shown once) and devices (GET /sessions: log out one, or every other one with DELETE /sessions).
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { toast, toastError } from '../ui/toast.js';
import { confirm, modal, prompt } from '../ui/modal.js';

const when = (/** @type {string} */ iso) => new Date(iso).toLocaleString();

/** @param {import('../router.js').ViewContext} ctx */
export async function apiKeysSection(ctx) {
  const tbody = h('tbody');
  const load = async () => {
    const keys = await api.get('/api-keys', { signal: ctx.signal });
    replace(tbody, keys.length ? keys.map((/** @type {any} */ k) => h('tr', { dataset: { id: k.id } },
      h('td.key-name', null, k.name), h('td', null, when(k.createdAt)), h('td', null, k.permissions.join(', ')),
      h('td.row-actions', null,
        h('button', { type: 'button', 'aria-label': `Rename ${k.name}`, onclick: () => rename(k) }, 'Rename'),
        h('button', { type: 'button', 'aria-label': `Delete ${k.name}`, onclick: () => remove(k) }, 'Delete'))))
      : h('tr', null, h('td.muted', { colSpan: 4 }, 'No API keys yet.')));
  };
  const create = async () => {
    const name = await prompt('API key name', { title: 'New API key', value: 'API Key' });
    if (name === null) return;
    try {
      const made = await api.post('/api-keys', { body: { name: name || 'API Key', permissions: ['all'] } });
      await load();
      const secret = /** @type {HTMLInputElement} */ (h('input#api-key-secret', { type: 'text', value: made.secret, readOnly: true, 'aria-label': 'API key secret' }));
      await modal('API key created', (close) => [
        h('p', null, 'Copy the key now: it is shown only once.'),
        secret,
        h('div.actions', null,
          h('button', { type: 'button', onclick: async () => {
            try { await navigator.clipboard.writeText(made.secret); toast('Copied'); } catch { secret.select(); }
          } }, 'Copy'),
          h('button.primary#api-key-done', { type: 'button', onclick: () => close() }, 'Done')),
      ]);
    } catch (err) { toastError(err); }
  };
  const rename = async (/** @type {any} */ k) => {
    const name = await prompt('New name', { title: 'Rename API key', value: k.name });
    if (!name) return;
    try { await api.put('/api-keys/{id}', { path: { id: k.id }, body: { name } }); await load(); } catch (err) { toastError(err); }
  };
  const remove = async (/** @type {any} */ k) => {
    if (!(await confirm(`Delete the API key "${k.name}"? Apps using it lose access.`, { ok: 'Delete', danger: true }))) return;
    try { await api.del('/api-keys/{id}', { path: { id: k.id } }); await load(); toast('API key deleted'); } catch (err) { toastError(err); }
  };
  await load();
  return h('div.api-keys', null,
    h('div.actions.start', null, h('button.primary#new-api-key', { type: 'button', onclick: create }, 'New API key')),
    h('div.table-scroll', null, h('table.data', null,
      h('thead', null, h('tr', null, ['Name', 'Created', 'Permissions', ''].map((t) => h('th', null, t)))), tbody)));
}

/** @param {import('../router.js').ViewContext} ctx */
export async function sessionsSection(ctx) {
  const list = h('ul.device-list');
  const load = async () => {
    const sessions = await api.get('/sessions', { signal: ctx.signal });
    sessions.sort((/** @type {any} */ a, /** @type {any} */ b) => Number(b.current) - Number(a.current) || b.updatedAt.localeCompare(a.updatedAt));
    replace(list, sessions.map((/** @type {any} */ s) => h('li.device', { dataset: { id: s.id, current: String(s.current) } },
      h('div', null,
        h('strong', null, [s.deviceType, s.deviceOS].filter(Boolean).join(' on ') || 'Unknown device'),
        s.current ? h('span.tag', null, 'this device') : null,
        h('div.muted', null, `Last active ${when(s.updatedAt)}${s.appVersion ? `, app ${s.appVersion}` : ''}`)),
      s.current ? null : h('button', { type: 'button', 'aria-label': 'Log out this device', onclick: async () => {
        try { await api.del('/sessions/{id}', { path: { id: s.id } }); await load(); toast('Device logged out'); } catch (err) { toastError(err); }
      } }, 'Log out'))));
    others.hidden = sessions.every((/** @type {any} */ s) => s.current);
  };
  const others = h('button.danger#logout-others', { type: 'button', onclick: async () => {
    if (!(await confirm('Log out every other device?', { ok: 'Log out all', danger: true }))) return;
    try { await api.del('/sessions'); await load(); toast('Other devices logged out'); } catch (err) { toastError(err); }
  } }, 'Log out all other devices');
  await load();
  return h('div.devices', null, list, h('div.actions.start', null, others));
}
