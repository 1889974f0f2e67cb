// Server statistics (GET /server/statistics): the example screen of docs/web.md, small on
// purpose. A view is `async function view(ctx)` returning {el, destroy?}: fetch what it needs
// (with ctx.signal, so leaving cancels), build the DOM with h(), return it.
import * as api from '../api.js';
import { h, formatBytes } from '../dom.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const stats = await api.get('/server/statistics', { signal: ctx.signal });
  const card = (/** @type {string} */ label, /** @type {string} */ value) =>
    h('div.stat', null, h('div.stat-label', null, label), h('div.stat-value', null, value));
  const rows = stats.usageByUser.map((/** @type {any} */ u) => h('tr', null,
    h('td', null, u.userName), h('td', null, u.photos), h('td', null, u.videos),
    h('td', null, formatBytes(u.usage)), h('td', null, u.quotaSizeInBytes ? formatBytes(u.quotaSizeInBytes) : 'Unlimited')));
  const el = h('section.page', null,
    h('h1', null, 'Server stats'),
    h('div.stats', null,
      card('Photos', String(stats.photos)),
      card('Videos', String(stats.videos)),
      card('Storage', formatBytes(stats.usage))),
    h('h2', null, 'User usage'),
    h('table.data', null,
      h('thead', null, h('tr', null, ['User', 'Photos', 'Videos', 'Usage', 'Quota'].map((t) => h('th', null, t)))),
      h('tbody', null, rows)));
  return { el };
}
