// "Add to album": pick one of your albums (or make a new one) for a selection. The timeline's
// selection bar imports ADD_TO_ALBUM (a GridAction: {label, icon, run(ids, grid)}); any screen
// can call addToAlbum(ids) directly.
import * as api from '../api.js';
import { h } from '../dom.js';
import { modal } from '../ui/modal.js';
import { toast, toastError } from '../ui/toast.js';
import { albumCover } from './cards.js';

/**
 * Ask which album, then PUT /albums/{id}/assets. Resolves the album's id, or null when cancelled.
 * @param {string[]} ids
 * @returns {Promise<string | null>}
 */
export async function addToAlbum(ids) {
  let albums = [];
  try {
    albums = await api.get('/albums');
    const shared = await api.get('/albums', { query: { isShared: true } });
    const seen = new Set(albums.map((/** @type {any} */ a) => a.id));
    albums.push(...shared.filter((/** @type {any} */ a) => !seen.has(a.id)));
  } catch (err) {
    toastError(err);
    return null;
  }
  albums.sort((/** @type {any} */ a, /** @type {any} */ b) => (b.updatedAt || '').localeCompare(a.updatedAt || ''));
  const chosen = await modal(`Add ${ids.length} to an album`, (close) => {
    const search = /** @type {HTMLInputElement} */ (h('input', { type: 'search', placeholder: 'Find an album', 'aria-label': 'Find an album', autofocus: true }));
    const listEl = h('ul.picker-list');
    const draw = () => {
      const q = search.value.trim().toLowerCase();
      listEl.textContent = '';
      listEl.append(h('li', null, h('button.picker-item.picker-new', { type: 'button', onclick: () => close({ create: search.value.trim() }) },
        h('span.picker-plus', { 'aria-hidden': 'true' }, '+'), h('span', null, q ? `New album "${search.value.trim()}"` : 'New album'))));
      for (const a of albums.filter((/** @type {any} */ a) => !q || a.albumName.toLowerCase().includes(q))) {
        listEl.append(h('li', null, h('button.picker-item', { type: 'button', onclick: () => close({ album: a }) },
          albumCover(a, 'picker-cover'),
          h('span.picker-name', null, a.albumName || 'Untitled'),
          h('span.picker-meta', null, `${a.assetCount} item${a.assetCount === 1 ? '' : 's'}`))));
      }
    };
    search.addEventListener('input', draw);
    draw();
    return [search, listEl, h('div.actions', null, h('button', { type: 'button', onclick: () => close(null) }, 'Cancel'))];
  });
  if (!chosen) return null;
  try {
    if (chosen.create !== undefined) {
      const album = await api.post('/albums', { body: { albumName: chosen.create || 'Untitled', assetIds: ids } });
      toast(`Added ${ids.length} to ${album.albumName}`, { kind: 'success' });
      return album.id;
    }
    const results = await api.put('/albums/{id}/assets', { path: { id: chosen.album.id }, body: { ids } });
    const added = results.filter((/** @type {any} */ r) => r.success).length;
    const dupes = results.filter((/** @type {any} */ r) => r.error === 'duplicate').length;
    toast(`Added ${added} to ${chosen.album.albumName}${dupes ? ` (${dupes} already there)` : ''}`, { kind: 'success' });
    return chosen.album.id;
  } catch (err) {
    toastError(err);
    return null;
  }
}

/** The selection-bar action for the timeline grid. */
export const ADD_TO_ALBUM = {
  label: 'Add to album',
  icon: /** @type {'albums'} */ ('albums'),
  run: async (/** @type {string[]} */ ids, /** @type {{clearSelection: () => void}} */ grid) => {
    if (await addToAlbum(ids)) grid.clearSelection();
  },
};
