// An album's activity (when the owner has it on): comments and likes from its members
// (GET/POST /activities, DELETE /activities/{id}), as a side panel.
import * as api from '../api.js';
import { h, icon, replace } from '../dom.js';
import { ICONS } from '../icons.js';
import { toastError } from '../ui/toast.js';
import { avatar } from './members.js';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * @param {any} album @param {any} me the logged-in user @param {boolean} isOwner
 * @returns {{el: HTMLElement, load: () => Promise<void>}}
 */
export function activityPanel(album, me, isOwner) {
  const listEl = h('ol.activity-list', { 'aria-label': 'Comments and likes' });
  const likeButton = h('button#like', { type: 'button', 'aria-pressed': 'false' }, icon(ICONS.favorite), h('span', null, 'Like'));
  const text = /** @type {HTMLInputElement} */ (h('input#comment-text', { type: 'text', placeholder: 'Say something', 'aria-label': 'Comment', required: true }));
  /** @type {any} */
  let myLike = null;

  async function load() {
    try {
      const items = await api.get('/activities', { query: { albumId: album.id, level: 'album' } });
      myLike = items.find((/** @type {any} */ a) => a.type === 'like' && a.user.id === me.id) || null;
      likeButton.setAttribute('aria-pressed', String(!!myLike));
      likeButton.classList.toggle('on', !!myLike);
      const likes = items.filter((/** @type {any} */ a) => a.type === 'like').length;
      replace(likeButton, icon(ICONS.favorite), h('span', null, likes ? `Like (${likes})` : 'Like'));
      replace(listEl, items.length ? items.map((/** @type {any} */ a) => h('li.activity', null,
        avatar(a.user),
        h('div.activity-body', null,
          h('div', null, h('strong', null, a.user.name), ' ', a.type === 'like' ? h('span.muted', null, 'liked this album') : null),
          a.comment ? h('p.activity-comment', null, a.comment) : null,
          h('time.muted', { dateTime: a.createdAt }, when.format(new Date(a.createdAt)))),
        a.user.id === me.id || isOwner ? h('button.icon-button', { type: 'button', 'aria-label': 'Delete', onclick: async () => {
          try { await api.del('/activities/{id}', { path: { id: a.id } }); await load(); } catch (err) { toastError(err); }
        } }, icon(ICONS.close)) : null)) : h('li.muted', null, 'No comments yet.'));
    } catch (err) { toastError(err); }
  }

  likeButton.addEventListener('click', async () => {
    try {
      if (myLike) await api.del('/activities/{id}', { path: { id: myLike.id } });
      else await api.post('/activities', { body: { albumId: album.id, type: 'like' } });
      await load();
    } catch (err) { toastError(err); }
  });

  const form = h('form.comment-form', { onsubmit: async (/** @type {Event} */ e) => {
    e.preventDefault();
    const comment = text.value.trim();
    if (!comment) return;
    try {
      await api.post('/activities', { body: { albumId: album.id, type: 'comment', comment } });
      text.value = '';
      await load();
    } catch (err) { toastError(err); }
  } }, text, h('button.primary', { type: 'submit' }, 'Send'));

  const el = h('aside.activity-panel', { 'aria-label': 'Activity' }, h('div.activity-head', null, h('h2', null, 'Activity'), likeButton), listEl, form);
  return { el, load };
}
