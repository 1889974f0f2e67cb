// Thumbnail URLs and thumbhash placeholders (decoded once per asset, cached).
import * as api from './api.js';
import { thumbHashToDataURL } from '../vendor/thumbhash/thumbhash.js';

/** @type {Map<string, string>} */
const decoded = new Map();

/** A data: URL for a base64 thumbhash, or '' when there is none. @param {string | null | undefined} hash */
export function placeholder(hash) {
  if (!hash) return '';
  let url = decoded.get(hash);
  if (url === undefined) {
    try {
      const bytes = Uint8Array.from(atob(hash), (c) => c.charCodeAt(0));
      url = thumbHashToDataURL(bytes);
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
