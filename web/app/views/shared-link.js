// The page a shared link opens for anyone (/share/:key, /s/:slug), logged in or not: the
// password form first when the link has one (POST /shared-links/login), then the link's album
// or assets in a grid, a simple viewer, downloads when the link allows them, uploads when it
// allows those. Every call carries the link's key or slug; the password login's cookie rides along.
import * as api from '../api.js';
import { h, icon, replace } from '../dom.js';
import { ICONS } from '../icons.js';
import { toast, toastError } from '../ui/toast.js';
import { assetList, fromAsset } from '../albums/assets.js';
import { download } from '../albums/download.js';
import { lightbox } from '../albums/lightbox.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  /** @type {Record<string, string>} */
  const share = ctx.params.key ? { key: ctx.params.key } : { slug: ctx.params.slug };
  const el = h('div.share-page');
  /** @type {(() => void) | null} */
  let cleanup = null;

  async function show() {
    let link;
    try {
      link = await api.get('/shared-links/me', { query: share, signal: ctx.signal });
    } catch (err) {
      const e = /** @type {any} */ (err);
      if (e.name === 'AbortError') throw err;
      if (e.status === 401 && /password/i.test(e.message)) return replace(el, passwordForm());
      return replace(el, h('div.auth-page', null, h('div.auth-card.share-gone', null,
        h('h1', null, 'immich'),
        h('p#share-error', { role: 'alert' }, e.status === 401 || e.status === 400 || e.status === 404
          ? 'This link has expired or does not exist.' : e.message))));
    }
    replace(el, ...page(link));
  }

  function passwordForm() {
    const password = /** @type {HTMLInputElement} */ (h('input#share-password', { type: 'password', name: 'password', required: true, autofocus: true, autocomplete: 'off' }));
    const error = h('p.form-error#share-password-error', { role: 'alert', hidden: true });
    const button = h('button.primary', { type: 'submit' }, 'Open');
    return h('div.auth-page', null, h('form.auth-card#share-login', { onsubmit: async (/** @type {Event} */ e) => {
      e.preventDefault();
      error.hidden = true;
      button.disabled = true;
      try {
        await api.post('/shared-links/login', { query: share, body: { password: password.value } });
        await show();
      } catch (err) {
        error.textContent = /** @type {any} */ (err).message;
        error.hidden = false;
        button.disabled = false;
      }
    } },
    h('h1', null, 'immich'),
    h('p', null, 'This link is protected. Enter its password to see what was shared.'),
    h('label', null, 'Password', password), error, button));
  }

  /** @param {any} link */
  function page(link) {
    const album = link.album;
    const title = album ? (album.albumName || 'Untitled') : (link.description || `${link.assets.length} shared item${link.assets.length === 1 ? '' : 's'}`);
    ctx.setTitle(title);
    const list = assetList({
      ...(album ? { filter: { albumId: album.id, ...share } } : { load: async () => (link = await api.get('/shared-links/me', { query: share })).assets.map(fromAsset) }),
      share, signal: ctx.signal, label: 'Shared photos',
      empty: link.allowUpload ? 'Nothing here yet. Upload some photos.' : 'Nothing has been shared here.',
      open: (id) => {
        cleanup?.();
        cleanup = lightbox(list.items().map((i) => i.id), id, { share, allowDownload: link.allowDownload });
      },
      actions: link.allowDownload ? [{ label: 'Download', icon: 'download', run: (ids) => download({ assetIds: ids }, share) }] : [],
    });
    list.reload().catch((err) => { if (err.name !== 'AbortError') toastError(err); });

    const fileInput = /** @type {HTMLInputElement} */ (h('input#share-upload-input', { type: 'file', multiple: true, accept: 'image/*,video/*', hidden: true, onchange: () => upload([...(fileInput.files || [])]) }));
    /** @param {File[]} files */
    async function upload(files) {
      let done = 0;
      for (const file of files) {
        const form = new FormData();
        const when = new Date(file.lastModified || Date.now()).toISOString();
        form.append('deviceAssetId', `web-${file.name}-${file.lastModified}`);
        form.append('deviceId', 'WEB');
        form.append('fileCreatedAt', when);
        form.append('fileModifiedAt', when);
        form.append('assetData', file, file.name);
        try {
          await api.post('/assets', { query: share, body: form });
          done++;
        } catch (err) { toastError(err); }
      }
      fileInput.value = '';
      if (done) toast(`Uploaded ${done} file${done === 1 ? '' : 's'}`, { kind: 'success' });
      await list.reload();
    }

    const expires = link.expiresAt ? `Expires ${new Date(link.expiresAt).toLocaleString()}` : '';
    return [
      h('header.share-head', null,
        h('a.brand', { href: '/' }, 'immich'),
        h('span.al-spacer'),
        link.allowUpload ? h('button#share-upload', { type: 'button', onclick: () => fileInput.click() }, icon(ICONS.upload), h('span', null, 'Upload')) : null,
        link.allowDownload ? h('button#share-download-all', { type: 'button', onclick: () => download(album ? { albumId: album.id } : { assetIds: list.items().map((i) => i.id) }, share) }, icon(ICONS.download), h('span', null, 'Download all')) : null,
        fileInput),
      h('section.page.share-body', null,
        h('h1#share-title', null, title),
        album?.description ? h('p.share-description', null, album.description) : (album && link.description ? h('p.share-description', null, link.description) : null),
        expires ? h('p.muted', null, expires) : null,
        list.el),
    ];
  }

  await show();
  return { el, destroy: () => cleanup?.() };
}
