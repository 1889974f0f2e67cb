// Any path no route knows.
import { h } from '../dom.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  return {
    el: h('section.page.not-found', null,
      h('h1', null, 'Page not found'),
      h('p', null, `Nothing lives at ${ctx.path}.`),
      h('a', { href: '/photos' }, 'Go to your photos')),
  };
}
