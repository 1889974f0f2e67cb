// A list of assets for the album, sharing, favorites, archive, trash, locked and shared-link
// screens: the timeline's month buckets for a filter (GET /timeline/buckets + /timeline/bucket,
// which take a shared link's key/slug too), or a fixed list (an individual shared link's
// assets), drawn as flexible rows of thumbnails with selection and a selection bar. One module
// so the screens share one way of showing assets; the photos timeline's virtualised grid
// (app/timeline/) is for the big, scrolling library.
import * as api from '../api.js';
import { h, icon, replace } from '../dom.js';
import { ICONS } from '../icons.js';

/**
 * @typedef {Object} Item
 * @property {string} id
 * @property {number} ratio
 * @property {string | null} thumbhash
 * @property {boolean} isFavorite
 * @property {boolean} isImage
 * @property {string} ownerId
 * @property {string} fileCreatedAt
 */

/**
 * @typedef {Object} ListAction
 * @property {string} label
 * @property {keyof typeof ICONS} icon
 * @property {boolean} [danger]
 * @property {(ids: string[], list: AssetList) => Promise<void> | void} run
 */

/**
 * @typedef {Object} AssetList
 * @property {HTMLElement} el
 * @property {Set<string>} selected
 * @property {() => Item[]} items            what is loaded, in order
 * @property {() => Promise<void>} reload
 * @property {() => void} clearSelection
 * @property {(ids: string[]) => void} remove
 */

/**
 * @typedef {Object} ListOptions
 * @property {Record<string, any>} [filter]          timeline query (albumId, isFavorite, isTrashed, visibility, userId, key, slug)
 * @property {() => Promise<Item[]>} [load]          a fixed list instead of the timeline
 * @property {Record<string, string>} [share]        {key} or {slug}: added to thumbnail URLs
 * @property {ListAction[]} [actions]
 * @property {string} [empty]                        shown when there is nothing
 * @property {(id: string) => string} [href]         where a thumbnail leads (default the viewer)
 * @property {(id: string) => void} [open]           or what clicking it does
 * @property {boolean} [pick]                      choosing mode: a click selects, no viewer link, no bar
 * @property {() => void} [onSelect]                 told whenever the selection changes
 * @property {AbortSignal} [signal]
 * @property {string} [label]                        the list's accessible name
 */

const monthName = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** An AssetResponseDto as an Item. @param {any} a @returns {Item} */
export function fromAsset(a) {
  const w = a.exifInfo?.exifImageWidth, hgt = a.exifInfo?.exifImageHeight;
  const swap = [5, 6, 7, 8].includes(Number(a.exifInfo?.orientation));
  const ratio = w && hgt ? (swap ? hgt / w : w / hgt) : (a.width && a.height ? a.width / a.height : 1);
  return {
    id: a.id, ratio, thumbhash: a.thumbhash ?? null, isFavorite: !!a.isFavorite, isImage: a.type !== 'VIDEO',
    ownerId: a.ownerId, fileCreatedAt: a.localDateTime || a.fileCreatedAt || '',
  };
}

/** The timeline's assets for a filter, newest month first. @param {Record<string, any>} filter @param {AbortSignal} [signal] */
export async function loadTimeline(filter, signal) {
  const buckets = await api.get('/timeline/buckets', { query: filter, signal });
  const months = await Promise.all(buckets.map((/** @type {any} */ b) =>
    api.get('/timeline/bucket', { query: { ...filter, timeBucket: b.timeBucket }, signal })));
  /** @type {Item[]} */
  const out = [];
  for (const m of months) {
    for (let i = 0; i < m.id.length; i++) {
      out.push({
        id: m.id[i], ratio: Number(m.ratio[i]) || 1, thumbhash: m.thumbhash[i], isFavorite: !!m.isFavorite[i],
        isImage: !!m.isImage[i], ownerId: m.ownerId[i], fileCreatedAt: m.fileCreatedAt[i],
      });
    }
  }
  return out;
}

/** @param {ListOptions} opts @returns {AssetList} */
export function assetList(opts) {
  const selected = new Set();
  /** @type {Item[]} */
  let items = [];
  const body = h('div.al-body', { role: 'list', 'aria-label': opts.label || 'Photos' });
  const count = h('span.al-count');
  const bar = h('div.al-bar', { role: 'toolbar', 'aria-label': 'Selection', hidden: true });
  const el = h('div.asset-list', null, bar, body);

  const list = /** @type {AssetList} */ ({
    el, selected,
    items: () => items,
    reload,
    clearSelection() { selected.clear(); sync(); },
    remove(ids) {
      const gone = new Set(ids);
      items = items.filter((i) => !gone.has(i.id));
      for (const id of ids) selected.delete(id);
      draw();
    },
  });

  function syncBar() {
    bar.hidden = selected.size === 0 || !!opts.pick;
    count.textContent = `${selected.size} selected`;
  }
  replace(bar,
    h('button.icon-button', { type: 'button', 'aria-label': 'Clear selection', onclick: () => list.clearSelection() }, icon(ICONS.close)),
    count,
    h('span.al-spacer'),
    (opts.actions || []).map((a) => h(`button.al-action${a.danger ? '.danger' : ''}`, {
      type: 'button', title: a.label,
      onclick: async () => { await a.run([...selected], list); },
    }, icon(ICONS[a.icon]), h('span', null, a.label))));

  function sync() {
    for (const tile of body.querySelectorAll('.al-tile')) {
      const on = selected.has(/** @type {HTMLElement} */ (tile).dataset.id || '');
      tile.classList.toggle('selected', on);
      tile.querySelector('.al-check')?.setAttribute('aria-pressed', String(on));
    }
    body.classList.toggle('selecting', selected.size > 0 || !!opts.pick);
    syncBar();
    opts.onSelect?.();
  }

  /** @param {Item} item */
  function tile(item) {
    const query = { size: 'thumbnail', ...(opts.share || {}), c: item.thumbhash || undefined };
    const img = h('img', { src: api.url('/assets/{id}/thumbnail', { id: item.id }, query), alt: item.isImage ? 'Photo' : 'Video', loading: 'lazy', decoding: 'async' });
    const toggle = () => { if (selected.has(item.id)) selected.delete(item.id); else selected.add(item.id); sync(); };
    const open = opts.pick
      ? h('button.al-open', { type: 'button', 'aria-label': 'Select', onclick: toggle }, img)
      : opts.open
      ? h('button.al-open', { type: 'button', 'aria-label': 'Open', onclick: () => (selected.size ? toggle() : opts.open?.(item.id)) }, img)
      : h('a.al-open', { href: (opts.href || ((/** @type {string} */ id) => `/photos/${id}`))(item.id), 'aria-label': 'Open',
        onclick: (/** @type {MouseEvent} */ e) => { if (selected.size) { e.preventDefault(); toggle(); } } }, img);
    return h('div.al-tile', {
      role: 'listitem', dataset: { id: item.id },
      style: { flexGrow: String(item.ratio), width: `calc(var(--al-h) * ${item.ratio})` },
    }, open,
    opts.actions?.length || opts.pick ? h('button.al-check', { type: 'button', 'aria-label': 'Select', 'aria-pressed': 'false', onclick: toggle }, icon(ICONS.check)) : null,
    item.isFavorite ? h('span.al-fav', { title: 'Favorite' }, icon(ICONS.favorite)) : null,
    item.isImage ? null : h('span.al-video', null, 'Video'));
  }

  function draw() {
    if (!items.length) {
      replace(body, h('p.empty-note', null, opts.empty || 'Nothing here yet.'));
      syncBar();
      return;
    }
    /** @type {Map<string, Item[]>} */
    const months = new Map();
    for (const i of items) {
      const m = (i.fileCreatedAt || '').slice(0, 7) || 'unknown';
      if (!months.has(m)) months.set(m, []);
      months.get(m)?.push(i);
    }
    replace(body, [...months.entries()].map(([m, group]) => h('section.al-month', null,
      h('h2.al-month-title', null, m === 'unknown' ? '' : monthName.format(new Date(`${m}-01T00:00:00Z`))),
      h('div.al-row', null, group.map(tile), h('div.al-filler')))));
    sync();
  }

  async function reload() {
    items = opts.load ? await opts.load() : await loadTimeline(opts.filter || {}, opts.signal);
    for (const id of [...selected]) if (!items.some((i) => i.id === id)) selected.delete(id);
    draw();
  }
  draw();
  return list;
}
