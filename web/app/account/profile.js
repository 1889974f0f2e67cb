// Account > Profile: name and avatar colour (PUT /users/me), the email (only an admin changes
// it), and the profile picture (POST/DELETE /users/profile-image).
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { toast, toastError } from '../ui/toast.js';
import { session } from '../session.js';

const COLORS = ['primary', 'pink', 'red', 'yellow', 'blue', 'green', 'purple', 'orange', 'gray', 'amber'];

/** @param {import('../router.js').ViewContext} ctx */
export function profileSection(ctx) {
  let user = ctx.user;
  const picture = h('div.profile-picture');
  const showPicture = () => replace(picture, user.profileImagePath
    ? h('img', { src: api.url('/users/{id}/profile-image', { id: user.id }, { v: user.profileChangedAt }), alt: `${user.name}'s profile picture`, width: 96, height: 96 })
    : h('div.profile-initials', { class: `avatar-${user.avatarColor}`, 'aria-label': 'No profile picture' }, (user.name || '?').slice(0, 1).toUpperCase()));
  const file = /** @type {HTMLInputElement} */ (h('input#profile-file', { type: 'file', accept: 'image/*', hidden: true, onchange: upload }));
  const removeButton = h('button#profile-remove', { type: 'button', onclick: removePicture }, 'Remove picture');

  async function upload() {
    const chosen = file.files?.[0];
    if (!chosen) return;
    const form = new FormData();
    form.append('file', chosen);
    try {
      await api.upload('/users/profile-image', form);
      await refresh();
      toast('Profile picture updated', { kind: 'success' });
    } catch (err) { toastError(err); } finally { file.value = ''; }
  }
  async function removePicture() {
    try {
      await api.del('/users/profile-image');
      await refresh();
      toast('Profile picture removed');
    } catch (err) { toastError(err); }
  }
  async function refresh() {
    user = await api.get('/users/me');
    session.user = user;
    showPicture();
    removeButton.hidden = !user.profileImagePath;
  }

  const name = /** @type {HTMLInputElement} */ (h('input#profile-name', { type: 'text', value: user.name, required: true, autocomplete: 'name' }));
  const color = /** @type {HTMLSelectElement} */ (h('select#profile-color', null, COLORS.map((c) => h('option', { value: c, selected: c === user.avatarColor }, c))));
  const form = h('form.account-form', { onsubmit: async (/** @type {Event} */ e) => {
    e.preventDefault();
    try {
      user = await api.put('/users/me', { body: { name: name.value, avatarColor: color.value } });
      session.user = { ...session.user, ...user };
      showPicture();
      toast('Profile saved', { kind: 'success' });
    } catch (err) { toastError(err); }
  } },
  h('div.profile-row', null, picture, h('div.profile-buttons', null,
    h('button', { type: 'button', onclick: () => file.click() }, 'Upload picture'), removeButton, file)),
  h('label', null, 'Email', h('input', { type: 'email', value: user.email, readOnly: true, 'aria-readonly': 'true' })),
  h('label', null, 'Name', name),
  h('label', null, 'Avatar colour', color),
  h('div.actions', null, h('button.primary', { type: 'submit' }, 'Save')));
  showPicture();
  removeButton.hidden = !user.profileImagePath;
  return form;
}
