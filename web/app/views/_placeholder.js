// A screen not built yet: its title and a line saying so, so the nav works meanwhile.
import { h } from '../dom.js';

/** @param {import('../router.js').ViewContext} ctx @param {string} title @param {string} [what] */
export function placeholder(ctx, title, what = '') {
  ctx.setTitle(title);
  return {
    el: h('section.page.placeholder', null,
      h('h1', null, title),
      h('p', null, what || 'This screen is coming soon.')),
  };
}
