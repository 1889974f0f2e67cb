// Server statistics (GET /server/statistics): photos, videos and storage in all and per user,
// the disk (GET /server/storage) and what is running (GET /server/about). A view is
// `async function view(ctx)` returning {el, destroy?}: fetch what it needs (with ctx.signal, so
// leaving cancels), build the DOM with h(), return it.
import * as api from '../api.js';
import { h, formatBytes } from '../dom.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const [stats, storage, about] = await Promise.all([
    api.get('/server/statistics', { signal: ctx.signal }),
    api.get('/server/storage', { signal: ctx.signal }),
    api.get('/server/about', { signal: ctx.signal }),
  ]);
  const card = (/** @type {string} */ label, /** @type {string} */ value, /** @type {string} */ sub = '') =>
    h('div.stat', null, h('div.stat-label', null, label), h('div.stat-value', null, value), sub ? h('div.muted', null, sub) : null);
  const rows = stats.usageByUser.map((/** @type {any} */ u) => {
    const pct = u.quotaSizeInBytes ? Math.min(100, Math.round((u.usage / u.quotaSizeInBytes) * 100)) : null;
    return h('tr', null,
      h('td', null, u.userName), h('td.num', null, u.photos), h('td.num', null, u.videos),
      h('td', null, formatBytes(u.usage), h('div.muted', null, `photos ${formatBytes(u.usagePhotos)}, videos ${formatBytes(u.usageVideos)}`)),
      h('td', null, u.quotaSizeInBytes ? `${formatBytes(u.quotaSizeInBytes)} (${pct}% used)` : 'Unlimited'));
  });
  const facts = [
    ['Version', about.version], ['Python', about.nodejs], ['FFmpeg', about.ffmpeg], ['libvips', about.libvips],
    ['ExifTool', about.exiftool], ['ImageMagick', about.imagemagick], ['Build', about.build], ['Source', about.sourceRef],
  ].filter(([, v]) => v);
  const el = h('section.page.admin-server', null,
    h('h1', null, 'Server stats'),
    h('div.stats', null,
      card('Photos', String(stats.photos), formatBytes(stats.usagePhotos)),
      card('Videos', String(stats.videos), formatBytes(stats.usageVideos)),
      card('Storage', formatBytes(stats.usage), `${stats.usageByUser.length} user${stats.usageByUser.length === 1 ? '' : 's'}`),
      card('Disk', `${storage.diskUse} of ${storage.diskSize}`, `${storage.diskAvailable} free (${storage.diskUsagePercentage}% used)`)),
    h('progress.disk', { max: 100, value: storage.diskUsagePercentage, 'aria-label': 'Disk used' }),
    h('h2', null, 'User usage'),
    h('div.table-scroll', null, h('table.data', null,
      h('thead', null, h('tr', null, ['User', 'Photos', 'Videos', 'Usage', 'Quota'].map((t) => h('th', null, t)))),
      h('tbody', null, rows))),
    h('h2', null, 'About'),
    h('dl.about', null, facts.map(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
    about.versionUrl ? h('p', null, h('a', { href: about.versionUrl, rel: 'noopener', target: '_blank' }, 'Release notes')) : null);
  return { el };
}
