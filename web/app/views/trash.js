// Trash: what was deleted, until the server empties it after its trash days. Restore the
// selection or everything, delete the selection for good, or empty the trash (after asking).
import * as api from '../api.js';
import { h, icon } from '../dom.js';
import { ICONS } from '../icons.js';
import { confirm } from '../ui/modal.js';
import { toast, toastError } from '../ui/toast.js';
import { libraryPage } from '../albums/library-page.js';
import { DELETE_FOREVER, RESTORE } from '../albums/actions.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const days = ctx.server.config.trashDays;
  /** @type {any} */
  let store = null;
  const restoreAll = h('button#restore-all', { type: 'button', onclick: async () => {
    try {
      const { count } = await api.post('/trash/restore');
      toast(`Restored ${count} item${count === 1 ? '' : 's'}`, { kind: 'success' });
      await store?.reload();
    } catch (err) { toastError(err); }
  } }, icon(ICONS.restore), h('span', null, 'Restore all'));
  const empty = h('button.danger#empty-trash', { type: 'button', onclick: async () => {
    if (!await confirm('Empty the trash? Everything in it is deleted permanently.', { title: 'Empty trash', ok: 'Empty trash', danger: true })) return;
    try {
      const { count } = await api.post('/trash/empty');
      toast(`Deleting ${count} item${count === 1 ? '' : 's'} permanently`);
      await store?.reload();
    } catch (err) { toastError(err); }
  } }, icon(ICONS.trash), h('span', null, 'Empty trash'));
  const page = libraryPage(ctx, {
    title: 'Trash', id: 'trash',
    buttons: [restoreAll, empty],
    note: days ? `Items in the trash are deleted permanently after ${days} days.` : undefined,
    filter: { isTrashed: true }, empty: 'The trash is empty.', actions: [RESTORE, DELETE_FOREVER],
  });
  store = page.store;
  return page;
}
