// Selection actions the library screens share (favorites, archive, trash, locked, partner):
// each takes the ids and the asset list, reports failures, and drops what left the screen.
import * as api from '../api.js';
import { confirm } from '../ui/modal.js';
import { toast, toastError } from '../ui/toast.js';
import { addToAlbum } from './picker.js';
import { download } from './download.js';
import { drop } from './grid-area.js';
import { getStore } from '../timeline/store.js';

/** An action for the grid's selection bar (or an asset list's): run(ids, grid or list).
 * @typedef {{label: string, icon: keyof typeof import('../icons.js').ICONS, key?: string, danger?: boolean, run: (ids: string[], target: any) => Promise<void> | void}} ListAction */

/** @param {() => Promise<any>} fn */
async function attempt(fn) {
  try { await fn(); } catch (err) { toastError(err); }
}
const plural = (/** @type {number} */ n) => `${n} item${n === 1 ? '' : 's'}`;

/** @type {ListAction} */
export const DOWNLOAD = { label: 'Download', icon: 'download', key: 'd', run: (ids) => download({ assetIds: ids }) };

/** @type {ListAction} */
export const ADD_TO_ALBUM = { label: 'Add to album', icon: 'albums', run: async (ids, list) => { if (await addToAlbum(ids)) list.clearSelection(); } };

/** @type {ListAction} */
export const UNFAVORITE = { label: 'Remove from favorites', icon: 'favorite', key: 'f', run: (ids, list) => attempt(async () => {
  await api.put('/assets', { body: { ids, isFavorite: false } });
  drop(list, ids);
  toast(`Removed ${plural(ids.length)} from favorites`);
}) };

/** Move to another visibility (archive, timeline, locked): they leave this screen. @param {'archive'|'timeline'|'locked'} visibility @param {string} label @returns {ListAction} */
export const moveTo = (visibility, label) => ({ label, icon: visibility === 'archive' ? 'archive' : visibility === 'locked' ? 'locked' : 'photos', key: visibility === 'locked' ? undefined : 'a', run: (ids, list) => attempt(async () => {
  await api.put('/assets', { body: { ids, visibility } });
  drop(list, ids);
  getStore({ visibility }).reload(); // where they went (a no-op for a store never shown)
  toast(`${label}: ${plural(ids.length)}`);
}) });

/** @type {ListAction} */
export const TRASH = { label: 'Move to trash', icon: 'trash', key: 'Delete', danger: true, run: (ids, list) => attempt(async () => {
  await api.del('/assets', { body: { ids } });
  drop(list, ids);
  toast(`Moved ${plural(ids.length)} to the trash`);
}) };

/** @type {ListAction} */
export const RESTORE = { label: 'Restore', icon: 'restore', key: 'r', run: (ids, list) => attempt(async () => {
  await api.post('/trash/restore/assets', { body: { ids } });
  drop(list, ids);
  toast(`Restored ${plural(ids.length)}`, { kind: 'success' });
}) };

/** @type {ListAction} */
export const DELETE_FOREVER = { label: 'Delete permanently', icon: 'close', key: 'Ctrl+Delete', danger: true, run: async (ids, list) => {
  if (!await confirm(`Permanently delete ${plural(ids.length)}? This cannot be undone.`, { title: 'Delete permanently', ok: 'Delete', danger: true })) return;
  await attempt(async () => {
    await api.del('/assets', { body: { ids, force: true } });
    drop(list, ids);
    toast(`Deleted ${plural(ids.length)}`);
  });
} };
