// The timeline's asset grid (app/timeline/) for a screen with a heading above it: the album,
// favorites, archive, trash, locked and partner screens. The grid scrolls itself, so the screen
// is a column (head, then the grid filling the rest). Stores are shared per filter and cached
// across screens, so one already loaded is refreshed on the way in.
import { h } from '../dom.js';
import { assetGrid } from '../timeline/grid.js';
import { getStore, TimelineStore } from '../timeline/store.js';

/**
 * @param {import('../router.js').ViewContext} ctx
 * @param {Record<string, string | boolean | undefined>} filter   timeline query (albumId, isFavorite, isTrashed, visibility, userId)
 * @param {{actions?: import('../timeline/grid.js').GridAction[], empty?: string, own?: boolean}} opts
 *   own: a store of this screen's alone, dropped when it goes (the locked folder: a shared store
 *   would keep reloading on live events after the folder locks, and those 401s log the user out)
 */
export function gridArea(ctx, filter, opts) {
  const store = opts.own ? new TimelineStore(filter) : getStore(filter);
  if (store.ready) store.reload().catch(() => {});
  const grid = assetGrid(store, { ctx, actions: opts.actions, empty: opts.empty });
  const el = h('div.grid-area', null, grid.el);
  const destroy = () => {
    grid.destroy();
    if (opts.own) store.dispose();
  };
  return { el, grid, store, destroy };
}

/**
 * Take assets off the screen after an action: the grid's store (and selection), or an asset list.
 * @param {any} target a Grid (has .store) or an AssetList (has .remove) @param {string[]} ids
 */
export function drop(target, ids) {
  if (target.store) {
    target.store.remove(ids);
    target.clearSelection();
  } else target.remove(ids);
}
