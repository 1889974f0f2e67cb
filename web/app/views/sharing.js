// Sharing: partners (who you share your library with, who shares theirs with you and whether
// their photos show in your timeline), the albums shared with you, and your shared links
// (copy the address, edit, delete).
import * as api from '../api.js';
import { h, icon, replace } from '../dom.js';
import { ICONS } from '../icons.js';
import { confirm } from '../ui/modal.js';
import { toast, toastError } from '../ui/toast.js';
import { albumCard, copy, shareUrl } from '../albums/cards.js';
import { avatar } from '../albums/members.js';
import { deleteLink, editLink } from '../albums/link-form.js';
import { COPY, PENCIL } from '../albums/icons.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const partnersEl = h('div.partners#partners');
  const albumsEl = h('div.album-grid#shared-albums', { role: 'list', 'aria-label': 'Shared albums' });
  const linksEl = h('ul.link-list#shared-links', { 'aria-label': 'Shared links' });

  async function drawPartners() {
    const [by, withMe, users] = await Promise.all([
      api.get('/partners', { query: { direction: 'shared-by' }, signal: ctx.signal }),
      api.get('/partners', { query: { direction: 'shared-with' }, signal: ctx.signal }),
      api.get('/users', { signal: ctx.signal }).catch(() => []),
    ]);
    const taken = new Set(by.map((/** @type {any} */ p) => p.id));
    const candidates = users.filter((/** @type {any} */ u) => !taken.has(u.id) && u.id !== ctx.user.id);
    const pick = /** @type {HTMLSelectElement} */ (h('select#partner-user', { 'aria-label': 'Share your photos with' },
      candidates.length ? candidates.map((/** @type {any} */ u) => h('option', { value: u.id }, `${u.name} (${u.email})`)) : h('option', { value: '' }, 'Nobody else to add')));
    pick.disabled = !candidates.length;
    replace(partnersEl,
      h('h3', null, 'Sharing your photos with'),
      by.length ? h('ul.member-list', null, by.map((/** @type {any} */ p) => h('li.member', { dataset: { id: p.id } },
        avatar(p), h('span.member-who', null, h('strong', null, p.name), h('span.muted', null, p.email)),
        h('button.danger-text', { type: 'button', onclick: async () => {
          if (!await confirm(`Stop sharing your photos with ${p.name}?`, { ok: 'Stop sharing', danger: true })) return;
          try { await api.del('/partners/{id}', { path: { id: p.id } }); toast(`Stopped sharing with ${p.name}`); await drawPartners(); } catch (err) { toastError(err); }
        } }, 'Remove')))) : h('p.muted', null, 'You are not sharing your library with anyone.'),
      h('form.member-add#add-partner', { onsubmit: async (/** @type {Event} */ e) => {
        e.preventDefault();
        if (!pick.value) return;
        try {
          await api.post('/partners', { body: { sharedWithId: pick.value } });
          toast('Partner added', { kind: 'success' });
          await drawPartners();
        } catch (err) { toastError(err); }
      } }, pick, h('button.primary', { type: 'submit' }, 'Add partner')),
      h('h3', null, 'Sharing their photos with you'),
      withMe.length ? h('ul.member-list', null, withMe.map((/** @type {any} */ p) => h('li.member', { dataset: { id: p.id } },
        avatar(p), h('a.member-who', { href: `/partners/${p.id}` }, h('strong', null, p.name), h('span.muted', null, p.email)),
        h('label.check.inline', null, h('input', { type: 'checkbox', checked: !!p.inTimeline, onchange: async (/** @type {Event} */ e) => {
          const on = /** @type {HTMLInputElement} */ (e.target).checked;
          try { await api.put('/partners/{id}', { path: { id: p.id }, body: { inTimeline: on } }); toast(on ? `${p.name}'s photos show in your timeline` : `${p.name}'s photos no longer show in your timeline`); } catch (err) { toastError(err); }
        } }), 'Show in timeline')))) : h('p.muted', null, 'Nobody shares their library with you yet.'));
  }

  async function drawAlbums() {
    const albums = await api.get('/albums', { query: { isShared: true }, signal: ctx.signal });
    replace(albumsEl, albums.length
      ? albums.map((/** @type {any} */ a) => h('div', { role: 'listitem' }, albumCard(a, ctx.user.id)))
      : h('p.muted', null, 'No shared albums yet.'));
  }

  async function drawLinks() {
    const links = await api.get('/shared-links', { signal: ctx.signal });
    replace(linksEl, links.length ? links.map(linkRow) : h('li.muted', null, 'You have no shared links.'));
  }

  /** @param {any} link */
  function linkRow(link) {
    const cover = link.album?.albumThumbnailAssetId || link.assets?.[0]?.id;
    const title = link.album ? (link.album.albumName || 'Untitled') : `${link.assets.length} individual item${link.assets.length === 1 ? '' : 's'}`;
    const expired = link.expiresAt && new Date(link.expiresAt) < new Date();
    const flags = [
      link.password ? 'Password' : '', link.allowUpload ? 'Upload' : '', link.allowDownload ? 'Download' : '',
      link.showMetadata ? 'EXIF' : '', link.slug ? `/s/${link.slug}` : '',
      expired ? 'Expired' : link.expiresAt ? `Expires ${new Date(link.expiresAt).toLocaleDateString()}` : '',
    ].filter(Boolean);
    const url = shareUrl(link, ctx.server.config);
    return h('li.link-row-item', { dataset: { id: link.id } },
      cover ? h('img.link-cover', { src: api.url('/assets/{id}/thumbnail', { id: cover }, { size: 'thumbnail' }), alt: '' }) : h('div.link-cover.blank'),
      h('div.link-text', null,
        h('a', { href: link.album ? `/albums/${link.album.id}` : url }, title),
        link.description ? h('div.muted', null, link.description) : null,
        h('div.link-flags', null, flags.map((f) => h('span.chip', null, f)))),
      h('div.link-buttons', null,
        h('button.icon-button', { type: 'button', title: 'Copy link', 'aria-label': 'Copy link', onclick: () => copy(url) }, icon(COPY)),
        h('button.icon-button', { type: 'button', title: 'Edit', 'aria-label': 'Edit link', onclick: async () => { if (await editLink({ link, config: ctx.server.config })) await drawLinks(); } }, icon(PENCIL)),
        h('button.icon-button', { type: 'button', title: 'Delete', 'aria-label': 'Delete link', onclick: async () => { if (await deleteLink(link)) await drawLinks(); } }, icon(ICONS.trash))));
  }

  await Promise.all([drawPartners(), drawAlbums(), drawLinks()]);
  ctx.on('on_album_update', () => { drawAlbums().catch(() => {}); });
  const el = h('section.page.sharing-page', null,
    h('h1', null, 'Sharing'),
    h('h2', null, 'Partners'), partnersEl,
    h('h2', null, 'Shared albums'), albumsEl,
    h('h2', null, 'Shared links'), linksEl);
  return { el };
}
