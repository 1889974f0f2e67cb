// The virtualised asset grid: months laid out from their counts before their assets load,
// justified rows once they do, and only the rows near the viewport in the DOM. Selection
// (click the check, shift-click for a range), a selection bar with actions, a date scrubber.
// Reused by every screen that shows a timeline (photos, favorites, archive, trash, albums...).
import { h, icon, replace } from '../dom.js';
import { ICONS } from '../icons.js';
import { justify, estimate, GAP } from './justify.js';
import { averageColor, noteScroll, paintPlaceholder, thumbnailUrl } from '../thumbs.js';
import { scrubber } from './scrubber.js';
import { setActiveStore } from './store.js';

const HEADER = 52;
const PAD = 12;
const monthName = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });
const dayName = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
/** Milliseconds a frame may spend adding rows outside the viewport (the rest wait a frame). */
const BUDGET = 4;
/** Alt texts by day and kind: Intl formatting per thumbnail showed in the scroll's profile. @type {Map<string, string>} */
const alts = new Map();

/**
 * @typedef {Object} GridAction
 * @property {string} label
 * @property {keyof typeof ICONS} icon
 * @property {string} [key]           a shortcut while something is selected ('Delete', 'Ctrl+Delete', 'f')
 * @property {boolean} [danger]
 * @property {(ids: string[], grid: Grid) => Promise<void> | void} run
 */

/**
 * @typedef {Object} Grid
 * @property {HTMLElement} el
 * @property {Set<string>} selected
 * @property {() => void} clearSelection
 * @property {() => void} destroy
 * @property {HTMLElement} scroller
 * @property {import('./store.js').TimelineStore} store
 * @property {(lead: HTMLElement | null) => void} setLead  put something above the months (the memory lane)
 */

/** @typedef {{top: number, height: number, rows: import('./justify.js').Row[] | null, width: number, assets: any}} Placed */

/**
 * @param {import('./store.js').TimelineStore} store
 * @param {{ctx: import('../router.js').ViewContext, actions?: GridAction[], empty?: string, href?: (id: string) => string}} opts
 * @returns {Grid}
 */
export function assetGrid(store, opts) {
  const { ctx } = opts;
  const href = opts.href || ((/** @type {string} */ id) => `/photos/${id}`);
  setActiveStore(store);
  const canvas = h('div.grid-canvas', { role: 'list', 'aria-label': 'Photos' });
  const scroller = h('div.grid-scroll', { tabindex: '0' }, canvas);
  const count = h('span.count');
  const bar = h('div.select-bar', { hidden: true, role: 'toolbar', 'aria-label': 'Selection' });
  const empty = h('div.empty', { hidden: true }, opts.empty || 'No photos yet. Drop files here or use Upload.');
  const scrub = scrubber(scroller);
  const el = h('div.grid-view', null, bar, scroller, scrub.el, empty);
  /** @type {Set<string>} */
  const selected = new Set();
  /** @type {string | null} */
  let anchor = null;
  /** @type {Map<string, Placed>} */
  const placed = new Map();
  /** What is in the DOM: key -> element, its month, the rows it was drawn from, its offset in the month.
   * @type {Map<string, {el: HTMLElement, bucket: string, rows: any, offset: number}>} */
  const rendered = new Map();
  let total = 0;
  let width = 0;
  let target = 200;
  let frame = 0;
  /** Something shown above the months, scrolled with them; month positions start below it. @type {HTMLElement | null} */
  let lead = null;
  let leadH = 0;

  /** Recompute month positions, keeping what is on screen where it is. */
  function relayout() {
    leadH = lead ? lead.offsetHeight : 0;
    const anchorMonth = monthAt(scroller.scrollTop - leadH);
    const anchorOffset = anchorMonth ? scroller.scrollTop - leadH - anchorMonth.top : 0;
    width = Math.max(100, scroller.clientWidth - 2 * PAD);
    target = width < 560 ? 110 : width < 1000 ? 170 : 220;
    let top = 0;
    for (const b of store.buckets) {
      let p = placed.get(b.timeBucket);
      if (!p || p.width !== width || p.assets !== b.assets || (!b.assets && p.rows)) {
        const rows = b.assets ? justify(b.assets.map((a) => a.ratio), width, target).rows : null;
        const body = rows ? rows.reduce((m, r) => Math.max(m, r.top + r.height), 0) : estimate(b.count, width, target);
        p = { top: 0, height: HEADER + body + GAP * 4, rows, width, assets: b.assets };
        placed.set(b.timeBucket, p);
      }
      p.top = top;
      top += p.height;
    }
    total = top;
    canvas.style.height = `${total}px`;
    for (const [key, r] of rendered) {
      const p = placed.get(r.bucket);
      if (p && (r.rows === 'header' || (r.rows !== null && r.rows === p.rows))) r.el.style.top = `${p.top + r.offset}px`;
      else { r.el.remove(); rendered.delete(key); }
    }
    if (anchorMonth && scroller.scrollTop > leadH) scroller.scrollTop = anchorMonth.placed.top + anchorOffset + leadH;
    empty.hidden = store.buckets.length > 0;
    scrub.update(store.buckets.map((b) => ({ label: b.timeBucket, top: leadH + /** @type {Placed} */ (placed.get(b.timeBucket)).top })), total + leadH);
    draw();
  }

  /** @param {number} y */
  function monthAt(y) {
    for (const b of store.buckets) {
      const p = placed.get(b.timeBucket);
      if (p && y >= p.top && y < p.top + p.height) return { bucket: b, placed: p, top: p.top };
    }
    return null;
  }

  /** Put the rows near the viewport in the DOM, take the others out; load months coming into view. */
  function draw() {
    const started = performance.now();
    let deferred = false;
    // read the geometry once, before any DOM change (a read after one forces a layout)
    const raw = scroller.scrollTop;
    const top = raw - leadH;
    const height = scroller.clientHeight;
    const view = height || 800;
    const lo = top - view;
    const hi = top + 2 * view;
    /** @type {Set<string>} */
    const want = new Set();
    for (const b of store.buckets) {
      const p = placed.get(b.timeBucket);
      if (!p || p.top + p.height < lo) continue;
      if (p.top > hi) break;
      const key = `h:${b.timeBucket}`;
      want.add(key);
      if (!rendered.has(key)) add(key, header(b, p), b.timeBucket, 'header', 0);
      if (!p.rows) {
        // rows of grey until the month's assets arrive
        const sk = `s:${b.timeBucket}`;
        want.add(sk);
        if (!rendered.has(sk)) add(sk, skeleton(p), b.timeBucket, null, HEADER);
        store.load(b).catch(() => {});
        continue;
      }
      for (let i = 0; i < p.rows.length; i++) {
        const row = p.rows[i];
        const y = p.top + HEADER + row.top;
        if (y + row.height < lo) continue;
        if (y > hi) break;
        const rk = `r:${b.timeBucket}:${i}`;
        want.add(rk);
        if (rendered.has(rk)) continue;
        // rows in view now, always; the margin's (a screen above, two below) while the frame has time
        const inView = y + row.height > top && y < top + view;
        if (!inView && performance.now() - started > BUDGET) { deferred = true; continue; }
        add(rk, rowEl(/** @type {any[]} */ (b.assets), row, y), b.timeBucket, p.rows, y - p.top);
      }
    }
    for (const [key, r] of rendered) if (!want.has(key)) { r.el.remove(); rendered.delete(key); }
    scrub.position(raw, height);
    if (deferred && !frame) frame = requestAnimationFrame(() => { frame = 0; draw(); });
  }

  /** @param {string} key @param {HTMLElement} el @param {string} bucket @param {any} rows @param {number} offset */
  function add(key, el, bucket, rows, offset) {
    rendered.set(key, { el, bucket, rows, offset });
    canvas.append(el);
  }

  /** @param {import('./store.js').Bucket} b @param {Placed} p */
  function header(b, p) {
    const [y, m] = b.timeBucket.split('-').map(Number);
    return h('h2.month', { style: { top: `${p.top}px` }, dataset: { bucket: b.timeBucket } }, monthName.format(new Date(y, m - 1, 1)));
  }

  /** @param {Placed} p */
  function skeleton(p) {
    const band = `repeating-linear-gradient(var(--thumb-bg) 0 ${target}px, transparent ${target}px ${target + GAP}px)`;
    return h('div.skeleton', { style: { top: `${p.top + HEADER}px`, height: `${p.height - HEADER - GAP * 4}px`, backgroundImage: band } });
  }

  /** @param {any[]} assets @param {import('./justify.js').Row} row @param {number} y */
  function rowEl(assets, row, y) {
    const div = h('div.grid-row', { style: { top: `${y}px`, height: `${row.height}px` }, role: 'presentation' });
    for (const item of row.items) div.append(thumb(assets[item.index], item.left, item.width, row.height));
    return div;
  }

  /** @param {import('./store.js').Asset} a @param {number} left @param {number} w @param {number} ht */
  function thumb(a, left, w, ht) {
    const day = a.fileCreatedAt.slice(0, 10);
    const altKey = `${a.isImage ? 'Photo' : 'Video'}${day}`;
    let alt = alts.get(altKey);
    if (alt === undefined) {
      alt = `${a.isImage ? 'Photo' : 'Video'} taken on ${dayName.format(new Date(day + 'T12:00:00'))}`;
      if (alts.size > 5000) alts.clear();
      alts.set(altKey, alt);
    }
    const img = /** @type {HTMLImageElement} */ (h('img', { alt, decoding: 'async', draggable: 'false' }));
    let tries = 0;
    img.onload = () => img.classList.add('loaded');
    img.onerror = () => { if (++tries < 4) setTimeout(() => { img.src = thumbnailUrl(a.id, 'thumbnail', `${a.thumbhash || ''}${tries}`); }, 1500 * tries); };
    img.src = thumbnailUrl(a.id, 'thumbnail', a.thumbhash || undefined);
    const cell = h(`div.thumb${selected.has(a.id) ? '.selected' : ''}`, {
      role: 'listitem', dataset: { id: a.id },
      style: { left: `${PAD + left}px`, width: `${w}px`, height: `${ht}px`, backgroundColor: averageColor(a.thumbhash) },
    },
    h('a.open', { href: href(a.id), 'aria-label': alt, draggable: 'false' }, img),
    h('button.check', { type: 'button', 'aria-label': 'Select', 'aria-pressed': String(selected.has(a.id)) }, icon(ICONS.check)),
    a.isFavorite ? h('span.badge.fav', { title: 'Favorite' }, icon(ICONS.favorite)) : null,
    a.duration ? h('span.badge.duration', null, formatDuration(a.duration)) : a.livePhotoVideoId ? h('span.badge.duration', null, 'LIVE') : null);
    paintPlaceholder(cell, img, a.thumbhash);
    return cell;
  }

  /** Every loaded asset id in order (for ranges and select-all). */
  function orderedIds() {
    return store.buckets.flatMap((b) => (b.assets || []).map((a) => a.id));
  }

  function selectionChanged() {
    for (const t of canvas.querySelectorAll('.thumb')) {
      const on = selected.has(/** @type {HTMLElement} */ (t).dataset.id || '');
      t.classList.toggle('selected', on);
      t.querySelector('.check')?.setAttribute('aria-pressed', String(on));
    }
    el.classList.toggle('selecting', selected.size > 0);
    bar.hidden = selected.size === 0;
    count.textContent = `${selected.size} selected`;
  }

  /** @param {string} id @param {boolean} range */
  function toggle(id, range) {
    if (range && anchor && anchor !== id) {
      const ids = orderedIds();
      const [i, j] = [ids.indexOf(anchor), ids.indexOf(id)].sort((x, y) => x - y);
      if (i >= 0) for (const x of ids.slice(i, j + 1)) selected.add(x);
    } else if (selected.has(id)) selected.delete(id);
    else selected.add(id);
    anchor = id;
    selectionChanged();
  }

  canvas.addEventListener('click', (e) => {
    const t = /** @type {HTMLElement} */ (e.target);
    const cell = /** @type {HTMLElement | null} */ (t.closest('.thumb'));
    if (!cell) return;
    const id = cell.dataset.id || '';
    if (t.closest('.check') || selected.size > 0 || e.shiftKey) {
      e.preventDefault();
      toggle(id, e.shiftKey);
    }
  });

  const grid = {
    el, selected, scroller, store,
    clearSelection: () => { selected.clear(); anchor = null; selectionChanged(); },
    setLead: (/** @type {HTMLElement | null} */ el) => {
      lead?.remove();
      lead = el;
      if (el) scroller.insertBefore(el, canvas);
      relayout();
    },
    destroy: () => {
      store.removeEventListener('change', onChange);
      observer.disconnect();
      saved.set(store, scroller.scrollTop);
    },
  };

  replace(bar,
    h('button.icon-button', { type: 'button', 'aria-label': 'Clear selection', onclick: grid.clearSelection }, icon(ICONS.close)),
    count,
    h('span.spacer'),
    (opts.actions || []).map((action) => h(`button.icon-button${action.danger ? '.danger-text' : ''}`, {
      type: 'button', title: action.key ? `${action.label} (${action.key})` : action.label, 'aria-label': action.label,
      onclick: () => action.run([...selected], grid),
    }, icon(ICONS[action.icon]))));
  for (const action of opts.actions || []) {
    if (action.key) ctx.shortcut(action.key, action.label + ' (selection)', () => { if (selected.size) action.run([...selected], grid); });
  }
  ctx.shortcut('Escape', 'Clear the selection', () => grid.clearSelection());
  ctx.shortcut('Ctrl+a', 'Select all loaded photos', () => { for (const id of orderedIds()) selected.add(id); selectionChanged(); });

  const onChange = () => relayout();
  store.addEventListener('change', onChange);
  scroller.addEventListener('scroll', () => {
    noteScroll();
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; draw(); });
  }, { passive: true });
  let lastWidth = 0;
  const observer = new ResizeObserver(() => {
    if (scroller.clientWidth !== lastWidth) { lastWidth = scroller.clientWidth; relayout(); } else draw();
  });
  observer.observe(scroller);
  store.init().then(() => {
    relayout();
    const back = saved.get(store);
    if (back) { scroller.scrollTop = back; draw(); }
  }).catch((err) => replace(empty, String(err.message || err)));
  return grid;
}

/** Where each store's grid was scrolled to, so coming back from the viewer lands there. */
const saved = new WeakMap();

/** 62500 -> '1:02'. */
export function formatDuration(/** @type {number} */ ms) {
  const s = Math.round(ms / 1000);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}
