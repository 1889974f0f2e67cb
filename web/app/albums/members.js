// Who an album is shared with: its members and their roles (editor: may add and remove photos;
// viewer: may look), adding users (PUT /albums/{id}/users), changing a role
// (PUT /albums/{id}/user/{userId}) and removing someone (DELETE /albums/{id}/user/{userId}).
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { modal, confirm } from '../ui/modal.js';
import { toast, toastError } from '../ui/toast.js';

/** A round avatar with initials. @param {any} user */
export function avatar(user) {
  const initials = (user.name || user.email || '?').split(/\s+/).map((/** @type {string} */ w) => w[0]).join('').slice(0, 2).toUpperCase();
  return h('span.member-avatar', { title: `${user.name} (${user.email})`, 'aria-hidden': 'true', dataset: { color: user.avatarColor || 'primary' } }, initials);
}

/**
 * The members dialog. Resolves when closed; `changed` tells whether the album should reload.
 * @param {any} album AlbumResponseDto @param {boolean} isOwner
 * @returns {Promise<boolean>}
 */
export async function editMembers(album, isOwner) {
  let changed = false;
  /** @type {any[]} */
  let users = [];
  try { users = await api.get('/users'); } catch (err) { toastError(err); }
  const listEl = h('ul.member-list');
  const pick = /** @type {HTMLSelectElement} */ (h('select#member-user', { 'aria-label': 'User' }));
  const role = /** @type {HTMLSelectElement} */ (h('select#member-role', { 'aria-label': 'Role' },
    h('option', { value: 'editor' }, 'Editor'), h('option', { value: 'viewer' }, 'Viewer')));

  const refresh = async () => {
    album = await api.get('/albums/{id}', { path: { id: album.id } });
    changed = true;
    draw();
  };
  const run = async (/** @type {() => Promise<any>} */ fn, /** @type {string} */ done) => {
    try { await fn(); toast(done, { kind: 'success' }); await refresh(); } catch (err) { toastError(err); }
  };

  function draw() {
    replace(listEl, album.albumUsers.map((/** @type {any} */ m) => h('li.member', { dataset: { id: m.user.id } },
      avatar(m.user),
      h('span.member-who', null, h('strong', null, m.user.name), h('span.muted', null, m.user.email)),
      m.role === 'owner' || !isOwner
        ? h('span.member-role', null, m.role[0].toUpperCase() + m.role.slice(1))
        : [
          h('select', { 'aria-label': `Role of ${m.user.name}`, value: m.role, onchange: (/** @type {Event} */ e) => run(
            () => api.put('/albums/{id}/user/{userId}', { path: { id: album.id, userId: m.user.id }, body: { role: /** @type {HTMLSelectElement} */ (e.target).value } }),
            `${m.user.name} is now ${/** @type {HTMLSelectElement} */ (e.target).value === 'editor' ? 'an editor' : 'a viewer'}`) },
          h('option', { value: 'editor', selected: m.role === 'editor' }, 'Editor'),
          h('option', { value: 'viewer', selected: m.role === 'viewer' }, 'Viewer')),
          h('button.danger-text', { type: 'button', onclick: async () => {
            if (await confirm(`Remove ${m.user.name} from the album?`, { ok: 'Remove', danger: true })) {
              await run(() => api.del('/albums/{id}/user/{userId}', { path: { id: album.id, userId: m.user.id } }), `Removed ${m.user.name}`);
            }
          } }, 'Remove'),
        ])));
    const members = new Set(album.albumUsers.map((/** @type {any} */ m) => m.user.id));
    const candidates = users.filter((u) => !members.has(u.id));
    replace(pick, candidates.length ? candidates.map((u) => h('option', { value: u.id }, `${u.name} (${u.email})`)) : h('option', { value: '' }, 'Nobody else to add'));
    pick.disabled = !candidates.length;
  }
  draw();

  await modal('Share with users', (close) => [
    listEl,
    isOwner ? h('form.member-add', { onsubmit: async (/** @type {Event} */ e) => {
      e.preventDefault();
      if (!pick.value) return;
      const name = pick.selectedOptions[0]?.textContent || 'user';
      await run(() => api.put('/albums/{id}/users', { path: { id: album.id }, body: { albumUsers: [{ userId: pick.value, role: role.value }] } }), `Shared with ${name}`);
    } }, pick, role, h('button.primary#add-member', { type: 'submit' }, 'Add')) : null,
    h('div.actions', null, h('button', { type: 'button', onclick: () => close(true) }, 'Done')),
  ]);
  return changed;
}
