// Search: the top bar's box lands here (/search?query=...). The filters live in the URL, so a
// search is a link; the panel edits them and navigates. Results show in the shared asset grid
// (selection, actions, the viewer steps through them) and page in as it scrolls
// (POST /search/metadata's nextPage), or from POST /search/smart when the server has smart
// search and the query asks for it.
import * as api from '../api.js';
import { h, icon } from '../dom.js';
import { ICONS } from '../icons.js';
import { readFilters, searchHref, requestBody, describe, filterPanel } from '../finding/filters.js';
import { SearchStore } from '../finding/search-store.js';
import { assetGrid } from '../timeline/grid.js';
import { TIMELINE_ACTIONS } from '../timeline/actions.js';

const PAGE_SIZE = 100; // results per request; '&size=' in the URL sets another (1 to 1000)

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const filters = readFilters(ctx.query);
  const smart = Boolean(ctx.server.features?.smartSearch);
  const useSmart = smart && Boolean(filters.query) && (filters.mode || 'smart') === 'smart';
  const searching = Object.keys(filters).some((k) => k !== 'mode');
  const box = /** @type {HTMLInputElement | null} */ (document.getElementById('search-box'));
  if (box && filters.query && document.activeElement !== box) box.value = filters.query;
  ctx.setTitle(filters.query ? `Search: ${filters.query}` : 'Search');

  const count = h('span.result-count', { 'aria-live': 'polite' });
  const panelHost = h('div.filter-host');
  const filterButton = h('button#filter-toggle', {
    type: 'button', 'aria-expanded': 'false', 'aria-controls': 'filter-panel',
    onclick: () => togglePanel(),
  }, icon(ICONS.settings), 'Filters');

  /** @param {boolean} [open] */
  function togglePanel(open = panelHost.childElementCount === 0) {
    panelHost.replaceChildren();
    filterButton.setAttribute('aria-expanded', String(open));
    if (!open) return;
    const panel = filterPanel(filters, {
      smart, signal: ctx.signal,
      apply: (f) => ctx.navigate(searchHref(f)),
      cancel: () => togglePanel(false),
    });
    panel.id = 'filter-panel';
    panelHost.append(panel);
    /** @type {HTMLElement | null} */ (panel.querySelector('input, select'))?.focus();
  }

  const chips = h('ul.filter-chips', { 'aria-label': 'Active filters' },
    describe(filters).map(([key, label]) => h('li', null, h('button.chip', {
      type: 'button', title: `Remove “${label}”`,
      onclick: () => { const f = { ...filters }; delete f[key]; if (key === 'query') delete f.mode; ctx.navigate(searchHref(f)); },
    }, label, icon(ICONS.close)))));

  const body = requestBody(filters, useSmart);
  const size = Math.min(1000, Math.max(1, Number(ctx.query.get('size')) || PAGE_SIZE));
  /** @type {import('../finding/search-store.js').PageLoader} */
  const loadPage = async (page) => {
    const res = useSmart
      ? await api.post('/search/smart', { body: { ...body, page: Number(page), size } })
      : await api.post('/search/metadata', { body: { ...body, page: Number(page), size } });
    return { items: res.assets.items, nextPage: res.assets.nextPage };
  };
  const store = searching
    // no ctx.signal for the pages: the viewer keeps stepping through this store after the view left
    ? new SearchStore(loadPage, (n, more) => { count.textContent = `${n}${more ? '+' : ''} result${n === 1 ? '' : 's'}`; })
    : null;
  const grid = store ? assetGrid(store, { ctx, actions: TIMELINE_ACTIONS, empty: 'Nothing matches these filters.' }) : null;

  const el = h('section.page.search-page', null,
    h('div.search-head', null,
      h('h1', null, 'Search'),
      count,
      filterButton),
    chips,
    panelHost,
    grid ? grid.el : h('p.hint', null, 'Type in the search box above, or choose filters: dates, places, cameras, media type.'));
  if (!searching) togglePanel(true);
  ctx.shortcut('F', 'Show or hide the search filters', () => togglePanel());
  return { el, destroy: () => { grid?.destroy(); store?.dispose(); } };
}
