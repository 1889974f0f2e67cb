// Photos: the main timeline (visibility 'timeline'), the shared grid with the timeline actions,
// and the memory lane ("N years ago") above it when there are memories, as in Immich.
import { assetGrid } from '../timeline/grid.js';
import { getStore } from '../timeline/store.js';
import { TIMELINE_ACTIONS } from '../timeline/actions.js';
import { loadMemories, memoryLane } from '../finding/memory-lane.js';
import { h } from '../dom.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const store = getStore({ visibility: 'timeline' });
  const grid = assetGrid(store, { ctx, actions: TIMELINE_ACTIONS });
  // the lane must not hold up the photos: it arrives when it arrives, and a failure only hides it
  loadMemories(ctx.signal).then((memories) => {
    const lane = memoryLane(memories);
    if (lane) grid.setLead(h('section.timeline-memories', { 'aria-label': 'Memories' }, lane));
  }).catch(() => {});
  return { el: grid.el, destroy: grid.destroy };
}
