// "Add photos" from an album: choose from your timeline in a dialog, then
// PUT /albums/{id}/assets with what was chosen.
import * as api from '../api.js';
import { h } from '../dom.js';
import { modal } from '../ui/modal.js';
import { toast, toastError } from '../ui/toast.js';
import { assetList } from './assets.js';

/**
 * @param {any} album
 * @returns {Promise<number>} how many were added
 */
export async function addPhotos(album) {
  const addButton = /** @type {HTMLButtonElement} */ (h('button.primary#add-chosen', { type: 'submit', disabled: true }, 'Add'));
  const list = assetList({
    filter: { visibility: 'timeline' }, pick: true, label: 'Your photos',
    empty: 'Your timeline is empty.',
    onSelect: () => {
      addButton.disabled = list.selected.size === 0;
      addButton.textContent = list.selected.size ? `Add ${list.selected.size}` : 'Add';
    },
  });
  list.reload().catch(toastError);
  const ids = await modal(`Add to ${album.albumName || 'the album'}`, (close) => h('form.add-photos', {
    onsubmit: (/** @type {Event} */ e) => { e.preventDefault(); close([...list.selected]); },
  }, h('div.add-photos-list', null, list.el), h('div.actions', null,
    h('button', { type: 'button', onclick: () => close(null) }, 'Cancel'), addButton)));
  if (!ids?.length) return 0;
  try {
    const results = await api.put('/albums/{id}/assets', { path: { id: album.id }, body: { ids } });
    const added = results.filter((/** @type {any} */ r) => r.success).length;
    toast(`Added ${added} item${added === 1 ? '' : 's'}`, { kind: 'success' });
    return added;
  } catch (err) {
    toastError(err);
    return 0;
  }
}
