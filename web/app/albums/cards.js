// Small pieces the album and sharing screens share: album covers and cards, a shared link's
// URL, copying to the clipboard, date ranges.
import * as api from '../api.js';
import { h } from '../dom.js';
import { toast } from '../ui/toast.js';

const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** An album's cover image (its thumbnail asset), or a blank tile. @param {any} album @param {string} cls */
export function albumCover(album, cls = 'album-cover') {
  if (!album.albumThumbnailAssetId) return h(`div.${cls}.blank`, { 'aria-hidden': 'true' });
  return h(`img.${cls}`, {
    src: api.url('/assets/{id}/thumbnail', { id: album.albumThumbnailAssetId }, { size: 'thumbnail' }),
    alt: `Cover of ${album.albumName || 'the album'}`, loading: 'lazy',
  });
}

/** "Mar 3, 2024 - Apr 1, 2024", or '' without dates. @param {string | null | undefined} start @param {string | null | undefined} end */
export function dateRange(start, end) {
  if (!start) return '';
  const a = day.format(new Date(start));
  const b = end ? day.format(new Date(end)) : a;
  return a === b ? a : `${a} - ${b}`;
}

/** A card linking to the album. @param {any} album @param {string} [userId] the viewer */
export function albumCard(album, userId) {
  const owner = ownerOf(album);
  const who = owner && owner.id !== userId ? `Shared by ${owner.name}` : album.shared ? 'Shared' : '';
  return h('a.album-card', { href: `/albums/${album.id}`, dataset: { id: album.id } },
    albumCover(album),
    h('span.album-name', null, album.albumName || 'Untitled'),
    h('span.album-meta', null, [`${album.assetCount} item${album.assetCount === 1 ? '' : 's'}`, who].filter(Boolean).join(' · ')));
}

/** The album's owner (the member whose role is 'owner'). @param {any} album @returns {any} */
export function ownerOf(album) {
  return album.albumUsers?.find((/** @type {any} */ u) => u.role === 'owner')?.user ?? null;
}

/** The viewer's role in the album: 'owner', 'editor', 'viewer' or ''. @param {any} album @param {string} userId */
export function roleOf(album, userId) {
  return album.albumUsers?.find((/** @type {any} */ u) => u.user.id === userId)?.role ?? '';
}

/** The address a shared link is opened at. @param {any} link @param {any} [config] GET /server/config */
export function shareUrl(link, config) {
  const base = (config?.externalDomain || location.origin).replace(/\/+$/, '');
  return link.slug ? `${base}/s/${encodeURIComponent(link.slug)}` : `${base}/share/${link.key}`;
}

/** Copy text, with a toast either way. @param {string} text */
export async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    toast('Copied to the clipboard', { kind: 'success' });
  } catch {
    toast(text, { timeout: 10000 });
  }
}
