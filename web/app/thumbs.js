// Thumbnail URLs and thumbhash placeholders. A grid paints a thumbnail's average colour at once
// (cheap) and the full thumbhash in idle time, only for thumbnails still loading by then: most
// thumbnails come from the cache before a placeholder would be seen, and decoding one costs
// about a quarter of a millisecond, too much for a fast scroll's frames.
import * as api from './api.js';
import { thumbHashToDataURL, thumbHashToAverageRGBA } from '../vendor/thumbhash/thumbhash.js';

/** @type {Map<string, string>} */
const decoded = new Map();

const bytesOf = (/** @type {string} */ hash) => Uint8Array.from(atob(hash), (c) => c.charCodeAt(0));

/** @type {Map<string, string>} */
const averages = new Map();

/** The thumbhash's average colour as CSS, or '' when there is none. @param {string | null | undefined} hash */
export function averageColor(hash) {
  if (!hash) return '';
  let colour = averages.get(hash);
  if (colour === undefined) {
    try {
      const { r, g, b } = thumbHashToAverageRGBA(bytesOf(hash));
      colour = `rgb(${Math.round(r * 255)}, ${Math.round(g * 255)}, ${Math.round(b * 255)})`;
    } catch {
      colour = '';
    }
    if (averages.size > 20000) averages.clear();
    averages.set(hash, colour);
  }
  return colour;
}

/** @type {{el: HTMLElement, img: HTMLImageElement, hash: string}[]} */
let queue = [];
let scheduled = false;
let lastScroll = 0;
/** A grid was scrolled: full placeholders wait until scrolling pauses (their decodes and the
 * repaints they cause showed as the wheel scroll's longest frames; the average colour is there). */
export function noteScroll() { lastScroll = performance.now(); }
const QUIET = 150;

const idle = window.requestIdleCallback || ((/** @type {Function} */ fn) => setTimeout(() => fn({ timeRemaining: () => 8 }), 16));

/**
 * Give `el` the full thumbhash as its background once the browser is idle, unless `img` has
 * loaded by then. @param {HTMLElement} el @param {HTMLImageElement} img @param {string | null} hash
 */
export function paintPlaceholder(el, img, hash) {
  if (!hash) return;
  const ready = decoded.get(hash);
  if (ready) {
    el.style.backgroundImage = `url("${ready}")`;
    return;
  }
  queue.push({ el, img, hash });
  if (!scheduled) {
    scheduled = true;
    idle(run, { timeout: 300 });
  }
}

/** @param {{timeRemaining: () => number}} deadline */
function run(deadline) {
  const since = performance.now() - lastScroll;
  if (since < QUIET) {
    setTimeout(() => idle(run, { timeout: 300 }), QUIET - since);
    return;
  }
  scheduled = false;
  queue = queue.filter((job) => job.el.isConnected && !job.img.classList.contains('loaded'));
  while (queue.length && deadline.timeRemaining() > 1) {
    const job = /** @type {{el: HTMLElement, img: HTMLImageElement, hash: string}} */ (queue.shift());
    if (!job.el.isConnected || job.img.classList.contains('loaded')) continue;
    const url = placeholder(job.hash);
    if (url) job.el.style.backgroundImage = `url("${url}")`;
  }
  if (queue.length) {
    scheduled = true;
    idle(run, { timeout: 300 });
  }
}

/** A data: URL for a base64 thumbhash, or '' when there is none. @param {string | null | undefined} hash */
export function placeholder(hash) {
  if (!hash) return '';
  let url = decoded.get(hash);
  if (url === undefined) {
    try {
      url = thumbHashToDataURL(bytesOf(hash));
    } catch {
      url = '';
    }
    if (decoded.size > 5000) decoded.clear();
    decoded.set(hash, url);
  }
  return url;
}

/**
 * @param {string} id @param {'thumbnail'|'preview'|'fullsize'} [size]
 * @param {string} [cacheKey]   changes when the asset does (e.g. its thumbhash), so caches refresh
 * @param {{key?: string, slug?: string}} [share]   a shared link's key or slug, for visitors
 */
export function thumbnailUrl(id, size = 'thumbnail', cacheKey = undefined, share = {}) {
  return api.url('/assets/{id}/thumbnail', { id }, { size, c: cacheKey || undefined, ...share });
}
