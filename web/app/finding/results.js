// A paged list of assets (search results, a memory, a map cluster) as justified rows: each
// thumbnail's flex-grow is its aspect ratio, so a row fills the width without measuring. The next
// page loads when a sentinel below the last row scrolls into view (IntersectionObserver), so a
// long result list costs one request per screenful. Thumbhash placeholders show until the
// thumbnail arrives. Used where the timeline's month-bucket grid does not fit: results come as
// pages of AssetResponseDto, not as time buckets.
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { thumbHashToDataURL } from '../../vendor/thumbhash/thumbhash.js';

/**
 * @typedef {Object} Page
 * @property {any[]} items       AssetResponseDto
 * @property {string | number | null} [nextPage]  null when this was the last page
 */

/** The width / height of an asset, from its size, its exif or its thumbhash; 1 when unknown. @param {any} a */
export function ratioOf(a) {
  let w = a.width, hgt = a.height;
  const exif = a.exifInfo;
  if ((!w || !hgt) && exif?.exifImageWidth && exif?.exifImageHeight) {
    w = exif.exifImageWidth; hgt = exif.exifImageHeight;
    if ([5, 6, 7, 8].includes(Number(exif.orientation))) [w, hgt] = [hgt, w];
  }
  const r = w && hgt ? w / hgt : 1;
  return Math.min(3, Math.max(0.4, r));
}

/** A base64 thumbhash as a data: URL ('' when absent or broken). @param {string | null | undefined} hash */
export function hashUrl(hash) {
  if (!hash) return '';
  try {
    return thumbHashToDataURL(Uint8Array.from(atob(hash), (c) => c.charCodeAt(0)));
  } catch {
    return '';
  }
}

/** One thumbnail tile linking to the viewer. @param {any} a @param {string} href */
export function tile(a, href) {
  const label = a.originalFileName || 'Photo';
  const img = /** @type {HTMLImageElement} */ (h('img', {
    alt: label, loading: 'lazy', decoding: 'async', draggable: false,
    src: api.url('/assets/{id}/thumbnail', { id: a.id }, { size: 'thumbnail', c: a.thumbhash || undefined }),
  }));
  const ph = hashUrl(a.thumbhash);
  const link = h('a.result-tile', {
    href, title: label, role: 'listitem', dataset: { id: a.id },
    style: { backgroundImage: ph ? `url("${ph}")` : '' },
  }, img, a.type === 'VIDEO' ? h('span.result-badge', null, 'Video') : null, a.isFavorite ? h('span.result-fav', { 'aria-label': 'Favorite' }, '♥') : null);
  link.style.setProperty('--r', ratioOf(a).toFixed(3));
  img.addEventListener('load', () => link.classList.add('loaded'), { once: true });
  return link;
}

/**
 * A results grid that loads pages as it scrolls.
 * @param {{load: (page: string | number, signal: AbortSignal) => Promise<Page>, signal: AbortSignal,
 *   empty?: string, href?: (a: any) => string, onCount?: (n: number, more: boolean) => void}} opts
 * @returns {{el: HTMLElement, reload: () => Promise<void>, assets: any[], destroy: () => void}}
 */
export function resultsGrid(opts) {
  const href = opts.href || ((/** @type {any} */ a) => `/photos/${a.id}`);
  const list = h('div.result-rows', { role: 'list', 'aria-label': 'Results' });
  const status = h('p.result-status', { 'aria-live': 'polite' });
  const sentinel = h('div.result-sentinel');
  const el = h('div.results', null, list, status, sentinel);
  /** @type {any[]} */
  const assets = [];
  /** @type {string | number | null} */
  let next = 1;
  let busy = false;
  let generation = 0;
  /** @type {AbortController | null} */
  let inflight = null;

  async function more() {
    if (busy || next === null || opts.signal.aborted) return;
    busy = true;
    const mine = generation;
    inflight = new AbortController();
    const stop = () => inflight?.abort();
    opts.signal.addEventListener('abort', stop, { once: true });
    status.textContent = 'Loading…';
    try {
      const page = await opts.load(next, inflight.signal);
      if (mine !== generation) return;
      assets.push(...page.items);
      list.append(...page.items.map((a) => tile(a, href(a))));
      next = page.nextPage ?? null;
      status.textContent = assets.length ? '' : (opts.empty || 'No results');
      opts.onCount?.(assets.length, next !== null);
    } catch (err) {
      if (/** @type {any} */ (err)?.name === 'AbortError') return;
      if (mine === generation) status.textContent = String(/** @type {any} */ (err)?.message || err);
      next = null;
    } finally {
      opts.signal.removeEventListener('abort', stop);
      if (mine === generation) busy = false;
    }
    // a short first page may leave the sentinel visible: keep going while it is
    if (mine === generation && next !== null && visible) queueMicrotask(more);
  }

  let visible = false;
  const observer = new IntersectionObserver((entries) => {
    visible = entries.some((e) => e.isIntersecting);
    if (visible) more();
  }, { rootMargin: '600px 0px' });
  observer.observe(sentinel);

  async function reload() {
    generation++;
    inflight?.abort();
    busy = false;
    assets.length = 0;
    next = 1;
    replace(list);
    await more();
  }

  return { el, reload, assets, destroy: () => { observer.disconnect(); inflight?.abort(); } };
}
