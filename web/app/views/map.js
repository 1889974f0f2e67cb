// Map: every located photo (GET /map/markers) on a world that works offline; raster tiles only
// when the configured map style offers them and they load. Filters as Immich's map settings
// (favorites only, include archived, partners, shared albums, a date range). A click on a
// cluster lists its photos beside the map.
import * as api from '../api.js';
import { h, icon } from '../dom.js';
import { ICONS } from '../icons.js';
import { worldMap } from '../finding/worldmap.js';
import { rasterTiles } from '../finding/tiles.js';
import { resultsGrid } from '../finding/results.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  if (ctx.server.features?.map === false) {
    return { el: h('section.page', null, h('h1', null, 'Map'), h('p.hint', null, 'The map is turned off in the server settings (Map & GPS).')) };
  }
  const status = h('span.map-status', { 'aria-live': 'polite' });
  const panel = h('aside.map-panel', { hidden: true, 'aria-label': 'Photos at this place' });
  /** @type {{destroy: () => void} | null} */
  let listing = null;

  const map = worldMap({ onCluster: (markers) => showCluster(markers) });

  /** @param {string} name @param {string} label */
  const toggle = (name, label) => h('label.inline', null, h('input', { type: 'checkbox', name, onchange: () => load() }), label);
  const after = /** @type {HTMLInputElement} */ (h('input', { type: 'date', name: 'after', onchange: () => load() }));
  const before = /** @type {HTMLInputElement} */ (h('input', { type: 'date', name: 'before', onchange: () => load() }));
  const form = /** @type {HTMLFormElement} */ (h('form.map-filters', { 'aria-label': 'Map filters', onsubmit: (/** @type {Event} */ e) => e.preventDefault() },
    toggle('favorite', 'Favorites only'),
    toggle('archived', 'Include archived'),
    toggle('partners', 'Include partners'),
    toggle('shared', 'Include shared albums'),
    h('label.inline', null, 'From', after),
    h('label.inline', null, 'To', before)));

  let first = true;
  let request = 0;
  async function load() {
    const mine = ++request;
    const on = (/** @type {string} */ n) => /** @type {HTMLInputElement} */ (form.elements.namedItem(n)).checked;
    status.textContent = 'Loading…';
    try {
      const markers = await api.get('/map/markers', {
        signal: ctx.signal,
        query: {
          isFavorite: on('favorite') ? true : undefined,
          isArchived: on('archived') ? true : undefined,
          withPartners: on('partners') ? true : undefined,
          withSharedAlbums: on('shared') ? true : undefined,
          fileCreatedAfter: after.value ? `${after.value}T00:00:00.000Z` : undefined,
          fileCreatedBefore: before.value ? `${before.value}T23:59:59.999Z` : undefined,
        },
      });
      if (mine !== request) return;
      map.setMarkers(markers, first);
      first = false;
      status.textContent = `${markers.length} photo${markers.length === 1 ? '' : 's'} with a location`;
    } catch (err) {
      if (/** @type {any} */ (err)?.name !== 'AbortError') status.textContent = String(/** @type {any} */ (err)?.message || err);
    }
  }

  /** @param {import('../finding/worldmap.js').Marker[]} markers */
  function showCluster(markers) {
    listing?.destroy();
    const places = [...new Set(markers.map((m) => [m.city, m.country].filter(Boolean).join(', ')).filter(Boolean))];
    const ids = markers.map((m) => m.id);
    const grid = resultsGrid({
      signal: ctx.signal,
      // the markers carry ids only: a page of them as square tiles, 60 at a time
      load: async (page) => {
        const start = (Number(page) - 1) * 60;
        return { items: ids.slice(start, start + 60).map((id) => ({ id })), nextPage: start + 60 < ids.length ? Number(page) + 1 : null };
      },
    });
    listing = grid;
    panel.replaceChildren(
      h('div.map-panel-head', null,
        h('h2', null, `${markers.length} photo${markers.length === 1 ? '' : 's'}`),
        h('button.icon-button', { type: 'button', 'aria-label': 'Close', onclick: closePanel }, icon(ICONS.close))),
      places.length ? h('p.hint', null, places.slice(0, 4).join(' · ')) : null,
      grid.el);
    panel.hidden = false;
    grid.reload();
  }
  function closePanel() { panel.hidden = true; listing?.destroy(); listing = null; }
  ctx.shortcut('Escape', 'Close the photo list', closePanel);

  const el = h('section.map-page', null,
    h('div.map-head', null, h('h1', null, 'Map'), status, form),
    h('div.map-body', null, map.el, panel));
  load();
  // tiles are an upgrade: the offline map is already drawn while the style is looked at
  rasterTiles(ctx.server.config || {}).then((t) => { if (t && !ctx.signal.aborted) map.useTiles(t.template, t.attribution); });
  return { el, destroy: () => { map.destroy(); listing?.destroy(); } };
}
