// Albums: your albums and those shared with you as cards with covers, a filter (all / owned /
// shared), sorting and a search box; "Create album" makes an empty one and opens it.
import * as api from '../api.js';
import { h, icon, replace } from '../dom.js';
import { ICONS } from '../icons.js';
import { toastError } from '../ui/toast.js';
import { albumCard, ownerOf } from '../albums/cards.js';

const SORTS = {
  recent: { label: 'Recently updated', by: (/** @type {any} */ a, /** @type {any} */ b) => (b.updatedAt || '').localeCompare(a.updatedAt || '') },
  name: { label: 'Name', by: (/** @type {any} */ a, /** @type {any} */ b) => (a.albumName || '').localeCompare(b.albumName || '') },
  newest: { label: 'Newest photo', by: (/** @type {any} */ a, /** @type {any} */ b) => (b.endDate || '').localeCompare(a.endDate || '') },
  count: { label: 'Item count', by: (/** @type {any} */ a, /** @type {any} */ b) => b.assetCount - a.assetCount },
};

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const [owned, shared] = await Promise.all([
    api.get('/albums', { signal: ctx.signal }),
    api.get('/albums', { query: { isShared: true }, signal: ctx.signal }),
  ]);
  const byId = new Map();
  for (const a of [...owned, ...shared]) byId.set(a.id, a);
  const albums = [...byId.values()];
  const me = ctx.user.id;
  const isMine = (/** @type {any} */ a) => ownerOf(a)?.id === me || (!ownerOf(a) && owned.some((/** @type {any} */ o) => o.id === a.id));

  const filter = /** @type {HTMLSelectElement} */ (h('select#album-filter', { onchange: draw },
    h('option', { value: 'all' }, 'All albums'), h('option', { value: 'owned' }, 'Owned by me'), h('option', { value: 'shared' }, 'Shared')));
  const sort = /** @type {HTMLSelectElement} */ (h('select#album-sort', { onchange: draw },
    Object.entries(SORTS).map(([k, s]) => h('option', { value: k }, s.label))));
  const search = /** @type {HTMLInputElement} */ (h('input#album-search', { type: 'search', placeholder: 'Search albums', oninput: draw }));
  filter.value = ctx.query.get('filter') || 'all';
  const grid = h('div.album-grid', { role: 'list', 'aria-label': 'Albums' });

  function draw() {
    const q = search.value.trim().toLowerCase();
    const shown = albums
      .filter((a) => filter.value === 'all' || (filter.value === 'owned' ? isMine(a) : a.shared))
      .filter((a) => !q || (a.albumName || '').toLowerCase().includes(q) || (a.description || '').toLowerCase().includes(q))
      .sort(SORTS[/** @type {keyof SORTS} */ (sort.value)].by);
    if (!shown.length) {
      replace(grid, h('p.empty-note', null, albums.length ? 'No album matches.' : 'No albums yet. Create one to collect photos.'));
      return;
    }
    replace(grid, shown.map((a) => h('div', { role: 'listitem' }, albumCard(a, me))));
  }

  async function create() {
    try {
      const album = await api.post('/albums', { body: { albumName: '' } });
      ctx.navigate(`/albums/${album.id}?new=1`);
    } catch (err) { toastError(err); }
  }
  ctx.shortcut('c', 'Create an album', create);

  draw();
  const el = h('section.page.albums-page', null,
    h('div.page-head', null,
      h('h1', null, 'Albums'),
      h('button.primary#create-album', { type: 'button', onclick: create }, icon(ICONS.albums), h('span', null, 'Create album'))),
    h('div.toolbar', null,
      h('label.inline', null, h('span.sr-only', null, 'Show'), filter),
      h('label.inline', null, h('span.sr-only', null, 'Sort by'), sort),
      h('label.inline.grow', null, h('span.sr-only', null, 'Search albums'), search)),
    grid);
  return { el };
}
