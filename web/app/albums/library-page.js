// The frame of the simple library screens (favorites, archive, trash, locked, partner): a
// heading, optional buttons, an explanation line, and the timeline's asset grid below.
import { h } from '../dom.js';
import { gridArea } from './grid-area.js';

/**
 * @param {import('../router.js').ViewContext} ctx
 * @param {{title: string, note?: string, buttons?: Node[], id?: string, head?: Node,
 *   filter: Record<string, string | boolean | undefined>, actions?: any[], empty?: string, own?: boolean}} opts
 */
export function libraryPage(ctx, opts) {
  const area = gridArea(ctx, opts.filter, { actions: opts.actions, empty: opts.empty, own: opts.own });
  const el = h(`section.grid-page${opts.id ? `#${opts.id}` : ''}`, null,
    h('div.grid-page-head', null,
      opts.head || null,
      h('div.page-head', null, h('h1', null, opts.title), h('div.head-buttons', null, opts.buttons || [])),
      opts.note ? h('p.muted.page-note', null, opts.note) : null),
    area.el);
  return { el, grid: area.grid, store: area.store, destroy: area.destroy };
}
