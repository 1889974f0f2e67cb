// The viewer (/photos/:id): preview, arrow keys through the timeline the user came from, zoom,
// video playback (HTTP ranges let the browser seek), motion photos, the info panel, and
// favorite / archive / trash / delete. Stepping replaces the URL, so "back" returns to the grid.
import * as api from '../api.js';
import { h, icon, replace } from '../dom.js';
import { ICONS } from '../icons.js';
import { placeholder, thumbnailUrl } from '../thumbs.js';
import { activeStore, getStore } from '../timeline/store.js';
import { download } from '../timeline/actions.js';
import { previousPath } from '../router.js';
import { zoomable } from '../viewer/zoom.js';
import { infoPanel } from '../viewer/info.js';
import { confirm } from '../ui/modal.js';
import { toast, toastError } from '../ui/toast.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const store = activeStore || getStore({ visibility: 'timeline' });
  /** @type {any} */
  let asset = await api.get('/assets/{id}', { path: { id: ctx.params.id }, signal: ctx.signal });
  let infoOpen = localStorage.getItem('viewer-info') === '1';

  const button = (/** @type {string} */ label, /** @type {keyof ICONS} */ name, /** @type {() => void} */ onclick, id = '') =>
    h(`button.icon-button${id ? '#' + id : ''}`, { type: 'button', 'aria-label': label, title: label, onclick }, icon(ICONS[name]));
  const favButton = button('Favorite (f)', 'favorite', () => favorite(), 'viewer-favorite');
  const bar = h('header.viewer-bar', null,
    button('Close (Esc)', 'left', () => close(), 'viewer-close'),
    h('span.spacer'),
    favButton,
    button('Info (i)', 'info', () => toggleInfo(), 'viewer-info'),
    button('Download', 'download', () => download([asset.id])),
    button('Archive (a)', 'archive', () => archive(), 'viewer-archive'),
    button('Move to trash (Delete)', 'trash', () => remove(false), 'viewer-trash'));
  const media = h('div.viewer-media');
  const stage = h('div.viewer-stage', null, media);
  const prev = h('button.viewer-nav.prev', { type: 'button', 'aria-label': 'Previous (←)', onclick: () => step(-1) }, icon(ICONS.left));
  const next = h('button.viewer-nav.next', { type: 'button', 'aria-label': 'Next (→)', onclick: () => step(1) }, icon(ICONS.right));
  const side = h('div.viewer-side');
  const el = h('div.viewer#viewer', { role: 'dialog', 'aria-label': 'Photo viewer' }, bar, stage, prev, next, side);
  const zoom = zoomable(stage, media, (scale) => {
    const img = media.querySelector('img.full');
    if (scale > 1.5 && img instanceof HTMLImageElement && !img.dataset.fullsize) {
      img.dataset.fullsize = '1';
      const hi = new Image();
      hi.onload = () => { if (img.isConnected) img.src = hi.src; };
      hi.src = thumbnailUrl(asset.id, 'fullsize', asset.thumbhash || undefined);
    }
  });

  function show() {
    zoom.reset();
    ctx.setTitle(asset.originalFileName || 'Photo');
    favButton.setAttribute('aria-pressed', String(asset.isFavorite));
    favButton.classList.toggle('on', asset.isFavorite);
    el.dataset.assetId = asset.id;
    const ph = placeholder(asset.thumbhash);
    media.style.backgroundImage = ph ? `url("${ph}")` : '';
    const preview = thumbnailUrl(asset.id, 'preview', asset.thumbhash || undefined);
    const alt = `${asset.type === 'VIDEO' ? 'Video' : 'Photo'} ${asset.originalFileName || ''}`.trim();
    if (asset.type === 'VIDEO') {
      const video = /** @type {HTMLVideoElement} */ (h('video.full', {
        src: api.url('/assets/{id}/video/playback', { id: asset.id }), poster: preview, controls: true, autoplay: true,
        playsInline: true, preload: 'metadata', 'aria-label': alt,
      }));
      video.addEventListener('error', () => unplayable(video));
      replace(media, video);
    } else {
      const img = h('img.full', { src: preview, alt, draggable: 'false', decoding: 'async' });
      img.addEventListener('load', () => { media.style.backgroundImage = ''; }, { once: true });
      replace(media, img);
      if (asset.livePhotoVideoId) media.append(h('button.motion', { type: 'button', onclick: () => playMotion() }, 'Play motion'));
    }
    replace(side, infoOpen ? infoPanel(asset, ctx.signal) : null);
    el.classList.toggle('with-info', infoOpen);
  }

  /**
   * The file (the encoded video, or the original when there is none) is not one this browser
   * plays: HLS from the server where the browser plays HLS itself (Safari), else say so.
   * @param {HTMLVideoElement} video
   */
  function unplayable(video) {
    if (video.error?.code !== MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED || video.dataset.fallback) return;
    video.dataset.fallback = '1';
    if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = api.url('/assets/{id}/video/stream/main.m3u8', { id: asset.id });
      return;
    }
    media.append(h('p.video-unplayable', { role: 'alert' }, 'This browser cannot play this video\'s format. ',
      h('a', { href: api.url('/assets/{id}/original', { id: asset.id }), download: '' }, 'Download it')));
  }

  function playMotion() {
    const video = h('video.full.motion-video', { src: api.url('/assets/{id}/video/playback', { id: asset.livePhotoVideoId }), autoplay: true, muted: true, playsInline: true });
    video.addEventListener('ended', () => video.remove());
    media.append(video);
  }

  /** Steps run one after the other, so two quick presses move two photos. */
  let queue = Promise.resolve();
  /** @param {number} delta */
  function step(delta) {
    queue = queue.then(() => move(delta));
    return queue;
  }

  /** @param {number} delta */
  async function move(delta) {
    try {
      await store.locate(asset.localDateTime || asset.fileCreatedAt);
      const other = await store.neighbor(asset.id, delta);
      if (!other) return;
      asset = await api.get('/assets/{id}', { path: { id: other.id }, signal: ctx.signal });
      history.replaceState(null, '', `/photos/${asset.id}`);
      show();
    } catch (err) {
      if (/** @type {any} */ (err).name !== 'AbortError') toastError(err);
    }
  }

  function close() {
    if (previousPath() && !previousPath().startsWith('/photos/')) history.back();
    else ctx.navigate('/photos', { replace: true });
  }

  function toggleInfo() {
    infoOpen = !infoOpen;
    localStorage.setItem('viewer-info', infoOpen ? '1' : '0');
    show();
  }

  async function favorite() {
    try {
      asset = await api.put('/assets/{id}', { path: { id: asset.id }, body: { isFavorite: !asset.isFavorite } });
      store.update([asset.id], { isFavorite: asset.isFavorite });
      getStore({ isFavorite: true }).reload();
      show();
    } catch (err) { toastError(err); }
  }

  async function archive() {
    const visibility = asset.visibility === 'archive' ? 'timeline' : 'archive';
    try {
      await api.put('/assets/{id}', { path: { id: asset.id }, body: { visibility } });
      toast(visibility === 'archive' ? 'Archived' : 'Unarchived');
      await leave();
    } catch (err) { toastError(err); }
  }

  /** @param {boolean} force */
  async function remove(force) {
    if (force && !(await confirm('Permanently delete this item? This cannot be undone.', { title: 'Delete permanently', ok: 'Delete', danger: true }))) return;
    try {
      await api.del('/assets', { body: { ids: [asset.id], force } });
      toast(force ? 'Deleted' : 'Moved to the trash');
      await leave();
    } catch (err) { toastError(err); }
  }

  /** The current asset left this timeline: show its neighbour, or close. */
  async function leave() {
    const gone = asset.id;
    const other = (await store.neighbor(gone, 1).catch(() => null)) || (await store.neighbor(gone, -1).catch(() => null));
    store.remove([gone]);
    if (!other) return close();
    asset = await api.get('/assets/{id}', { path: { id: other.id }, signal: ctx.signal });
    history.replaceState(null, '', `/photos/${asset.id}`);
    show();
  }

  ctx.shortcut('ArrowLeft', 'Previous photo', () => step(-1));
  ctx.shortcut('ArrowRight', 'Next photo', () => step(1));
  ctx.shortcut('Escape', 'Close the viewer', () => close());
  ctx.shortcut('i', 'Show or hide info', () => toggleInfo());
  ctx.shortcut('f', 'Favorite', () => favorite());
  ctx.shortcut('a', 'Archive', () => archive());
  ctx.shortcut('Delete', 'Move to trash', () => remove(false));
  ctx.shortcut('Ctrl+Delete', 'Delete permanently', () => remove(true));
  ctx.shortcut('+', 'Zoom in', () => zoom.zoomIn());
  ctx.shortcut('-', 'Zoom out', () => zoom.zoomOut());
  ctx.shortcut('0', 'Reset zoom', () => zoom.reset());
  ctx.on('on_asset_delete', (id) => { if (id === asset.id) leave(); });
  ctx.on('on_asset_trash', (ids) => { if (ids.includes(asset.id) && !asset.isTrashed) leave(); });

  store.locate(asset.localDateTime || asset.fileCreatedAt).catch(() => {});
  show();
  return { el };
}
