// Photos: the main timeline (visibility 'timeline'), the shared grid with the timeline actions.
import { assetGrid } from '../timeline/grid.js';
import { getStore } from '../timeline/store.js';
import { TIMELINE_ACTIONS } from '../timeline/actions.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const store = getStore({ visibility: 'timeline' });
  const grid = assetGrid(store, { ctx, actions: TIMELINE_ACTIONS });
  return { el: grid.el, destroy: grid.destroy };
}
