// Trash: the grid over {isTrashed: true}; restore or delete the selection, restore all, empty.
import * as api from '../api.js';
import { h } from '../dom.js';
import { assetGrid } from '../timeline/grid.js';
import { getStore } from '../timeline/store.js';
import { restore, deleteForever } from '../timeline/actions.js';
import { confirm } from '../ui/modal.js';
import { toast, toastError } from '../ui/toast.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const store = getStore({ isTrashed: true });
  store.reload();
  const days = ctx.server.config.trashDays;
  const grid = assetGrid(store, {
    ctx,
    empty: 'Trash is empty.',
    actions: [
      { label: 'Restore', icon: 'restore', key: 'r', run: restore },
      { label: 'Delete permanently', icon: 'trash', key: 'Delete', danger: true, run: deleteForever },
    ],
  });
  const restoreAll = async () => {
    try {
      const r = await api.post('/trash/restore');
      toast(`Restored ${r?.count ?? 'all'}`);
      store.reload();
    } catch (err) { toastError(err); }
  };
  const empty = async () => {
    if (!(await confirm('Permanently delete everything in the trash? This cannot be undone.', { title: 'Empty trash', ok: 'Empty trash', danger: true }))) return;
    try {
      const r = await api.post('/trash/empty');
      toast(`Deleted ${r?.count ?? 'all'}`);
      store.reload();
    } catch (err) { toastError(err); }
  };
  const head = h('div.screen-head', null,
    h('h1.screen-title', null, 'Trash'),
    h('span.spacer'),
    h('button#restore-all', { type: 'button', onclick: restoreAll }, 'Restore all'),
    h('button.danger#empty-trash', { type: 'button', onclick: empty }, 'Empty trash'));
  const note = days ? h('p.screen-note', null, `Items in the trash are deleted for good after ${days} days.`) : null;
  return { el: h('div.screen', null, head, note, grid.el), destroy: grid.destroy };
}
