// Archive: the grid over {visibility: 'archive'}; unarchiving sends assets back to Photos.
import { h } from '../dom.js';
import { assetGrid } from '../timeline/grid.js';
import { getStore } from '../timeline/store.js';
import { toggleFavorite, download, setVisibility, trash } from '../timeline/actions.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const store = getStore({ visibility: 'archive' });
  store.reload();
  const grid = assetGrid(store, {
    ctx,
    empty: 'Archive photos and videos to hide them from Photos.',
    actions: [
      { label: 'Unarchive', icon: 'archive', key: 'a', run: async (ids, g) => { await setVisibility('timeline')(ids, g); getStore({ visibility: 'timeline' }).reload(); } },
      { label: 'Favorite', icon: 'favorite', key: 'f', run: toggleFavorite },
      { label: 'Download', icon: 'download', key: 'd', run: (ids) => download(ids) },
      { label: 'Move to trash', icon: 'trash', key: 'Delete', run: trash },
    ],
  });
  return { el: h('div.screen', null, h('h1.screen-title', null, 'Archive'), grid.el), destroy: grid.destroy };
}
