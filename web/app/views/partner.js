// A partner's photos: the timeline of someone who shares their library with you.
import * as api from '../api.js';
import { h, icon } from '../dom.js';
import { ICONS } from '../icons.js';
import { libraryPage } from '../albums/library-page.js';
import { DOWNLOAD } from '../albums/actions.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const id = ctx.params.id;
  const partners = await api.get('/partners', { query: { direction: 'shared-with' }, signal: ctx.signal });
  const partner = partners.find((/** @type {any} */ p) => p.id === id);
  const name = partner ? partner.name : 'Partner';
  ctx.setTitle(name);
  return libraryPage(ctx, {
    title: name, id: 'partner',
    head: h('a.back-link', { href: '/sharing' }, icon(ICONS.left), 'Sharing'),
    note: partner ? `${partner.email} shares their photos with you.` : 'This person does not share their photos with you.',
    filter: { userId: id, visibility: 'timeline' }, empty: 'No photos shared yet.', actions: [DOWNLOAD],
  });
}
