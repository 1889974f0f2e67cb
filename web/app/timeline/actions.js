// What a selection can do: the actions of the photos timeline, and their building blocks for
// other screens (favorites, archive, trash...). Each takes the ids and the grid.
import * as api from '../api.js';
import { confirm } from '../ui/modal.js';
import { toast, toastError } from '../ui/toast.js';
import { getStore } from './store.js';
import { ADD_TO_ALBUM } from '../albums/picker.js';
import { editLink } from '../albums/link-form.js';
import { download as downloadAssets } from '../albums/download.js';

/** @typedef {import('./grid.js').GridAction} GridAction */

/** Run an action, report failures, clear the selection when done. @param {() => Promise<any>} fn @param {import('./grid.js').Grid} [grid] */
async function attempt(fn, grid) {
  try {
    await fn();
    grid?.clearSelection();
  } catch (err) {
    toastError(err);
  }
}

/** Favorite, or unfavorite when every selected asset already is. @param {string[]} ids @param {import('./grid.js').Grid} grid */
export function toggleFavorite(ids, grid) {
  return attempt(async () => {
    const all = ids.every((id) => grid.store.find(id)?.isFavorite);
    await api.put('/assets', { body: { ids, isFavorite: !all } });
    grid.store.update(ids, { isFavorite: !all });
    if (!all) getStore({ isFavorite: true }).reload();
    toast(all ? `Removed ${ids.length} from favorites` : `Added ${ids.length} to favorites`);
  }, grid);
}

/** @param {'archive'|'timeline'} visibility */
export const setVisibility = (visibility) => (/** @type {string[]} */ ids, /** @type {import('./grid.js').Grid} */ grid) =>
  attempt(async () => {
    await api.put('/assets', { body: { ids, visibility } });
    grid.store.remove(ids);
    toast(visibility === 'archive' ? `Archived ${ids.length}` : `Unarchived ${ids.length}`);
  }, grid);

/** Move to the trash. @param {string[]} ids @param {import('./grid.js').Grid} grid */
export function trash(ids, grid) {
  return attempt(async () => {
    await api.del('/assets', { body: { ids } });
    grid.store.remove(ids);
    toast(`Moved ${ids.length} to the trash`);
  }, grid);
}

/** Delete for good, after asking. @param {string[]} ids @param {import('./grid.js').Grid} grid */
export async function deleteForever(ids, grid) {
  const ok = await confirm(`Permanently delete ${ids.length} item${ids.length === 1 ? '' : 's'}? This cannot be undone.`, { title: 'Delete permanently', ok: 'Delete', danger: true });
  if (!ok) return;
  return attempt(async () => {
    await api.del('/assets', { body: { ids, force: true } });
    grid.store.remove(ids);
    toast(`Deleted ${ids.length}`);
  }, grid);
}

/** Restore from the trash. @param {string[]} ids @param {import('./grid.js').Grid} grid */
export function restore(ids, grid) {
  return attempt(async () => {
    await api.post('/trash/restore/assets', { body: { ids } });
    grid.store.remove(ids);
    toast(`Restored ${ids.length}`);
  }, grid);
}

/** Download: one asset as its original, several as zip archives (albums/download.js). @param {string[]} ids */
export function download(ids) {
  return downloadAssets({ assetIds: ids });
}

/** Share the selection: an individual-asset shared link, then its address to copy. @param {string[]} ids @param {import('./grid.js').Grid} grid */
export async function share(ids, grid) {
  if (await editLink({ assetIds: ids })) grid.clearSelection();
}

/** The photos timeline's selection actions. @type {GridAction[]} */
export const TIMELINE_ACTIONS = [
  { label: 'Favorite', icon: 'favorite', key: 'f', run: toggleFavorite },
  ADD_TO_ALBUM,
  { label: 'Share', icon: 'share', run: share },
  { label: 'Download', icon: 'download', key: 'd', run: (ids) => download(ids) },
  { label: 'Archive', icon: 'archive', key: 'a', run: setVisibility('archive') },
  { label: 'Move to trash', icon: 'trash', key: 'Delete', run: trash },
  { label: 'Delete permanently', icon: 'close', key: 'Ctrl+Delete', danger: true, run: deleteForever },
];
