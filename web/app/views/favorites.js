// Favorites: the grid over {isFavorite: true}; unfavoriting takes an asset off this screen.
import { h } from '../dom.js';
import { assetGrid } from '../timeline/grid.js';
import { getStore } from '../timeline/store.js';
import { toggleFavorite, download, setVisibility, trash } from '../timeline/actions.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const store = getStore({ isFavorite: true });
  store.reload();
  const grid = assetGrid(store, {
    ctx,
    empty: 'Favorite photos and videos to find them here.',
    actions: [
      { label: 'Remove from favorites', icon: 'favorite', key: 'f', run: async (ids, g) => { await toggleFavorite(ids, g); store.remove(ids); } },
      { label: 'Download', icon: 'download', key: 'd', run: (ids) => download(ids) },
      { label: 'Archive', icon: 'archive', key: 'a', run: setVisibility('archive') },
      { label: 'Move to trash', icon: 'trash', key: 'Delete', run: trash },
    ],
  });
  return { el: h('div.screen', null, h('h1.screen-title', null, 'Favorites'), grid.el), destroy: grid.destroy };
}
