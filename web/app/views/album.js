// One album: its name and description (editable by the owner), members, its assets, and what
// can be done with them: add photos, remove (owner, or an editor for their own), set the cover,
// share with users, shared links, activity, leave or delete.
import * as api from '../api.js';
import { h, icon, replace } from '../dom.js';
import { ICONS } from '../icons.js';
import { confirm, modal } from '../ui/modal.js';
import { toast, toastError } from '../ui/toast.js';
import { gridArea } from '../albums/grid-area.js';
import { dateRange, roleOf, ownerOf } from '../albums/cards.js';
import { avatar, editMembers } from '../albums/members.js';
import { editLink } from '../albums/link-form.js';
import { addPhotos } from '../albums/add-photos.js';
import { activityPanel } from '../albums/activity.js';
import { LINK } from '../albums/icons.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const id = ctx.params.id;
  let album = await api.get('/albums/{id}', { path: { id }, signal: ctx.signal });
  const me = ctx.user;
  const role = () => roleOf(album, me.id);
  const isOwner = () => role() === 'owner';
  const canEdit = () => isOwner() || role() === 'editor';

  const name = /** @type {HTMLInputElement} */ (h('input.album-title#album-name', {
    type: 'text', value: album.albumName, placeholder: 'Untitled', 'aria-label': 'Album name', readOnly: !isOwner(),
  }));
  const description = /** @type {HTMLTextAreaElement} */ (h('textarea.album-description#album-description', {
    rows: 1, placeholder: isOwner() ? 'Add a description' : '', 'aria-label': 'Description', readOnly: !isOwner(),
  }));
  description.value = album.description || '';
  const save = async (/** @type {Record<string, any>} */ changes) => {
    try {
      album = { ...album, ...(await api.patch('/albums/{id}', { path: { id }, body: changes })) };
      ctx.setTitle(album.albumName || 'Untitled');
      drawInfo();
    } catch (err) { toastError(err); }
  };
  name.addEventListener('change', () => { if (name.value !== album.albumName) save({ albumName: name.value }); });
  name.addEventListener('keydown', (e) => { if (e.key === 'Enter') name.blur(); });
  description.addEventListener('change', () => { if (description.value !== (album.description || '')) save({ description: description.value }); });

  const info = h('div.album-info');
  const toolbar = h('div.toolbar.album-actions', { role: 'toolbar', 'aria-label': 'Album' });
  const side = h('div.album-side');

  const area = gridArea(ctx, { albumId: id, order: album.order || undefined }, {
    empty: canEdit() ? 'This album is empty. Use "Add photos" to fill it.' : 'This album is empty.',
    actions: [
      { label: 'Download', icon: 'download', run: (ids) => download(ids) },
      ...(canEdit() ? [{ label: 'Remove from album', icon: /** @type {'close'} */ ('close'), danger: true, run: removeAssets }] : []),
      ...(isOwner() ? [{ label: 'Set as cover', icon: /** @type {'photos'} */ ('photos'), run: setCover }] : []),
    ],
  });

  /** @param {string[]} ids @param {import('../timeline/grid.js').Grid} grid */
  async function removeAssets(ids, grid) {
    if (!await confirm(`Remove ${ids.length} item${ids.length === 1 ? '' : 's'} from the album? They stay in your library.`, { ok: 'Remove', danger: true })) return;
    try {
      const results = await api.del('/albums/{id}/assets', { path: { id }, body: { ids } });
      const gone = results.filter((/** @type {any} */ r) => r.success).map((/** @type {any} */ r) => r.id);
      grid.store.remove(gone);
      grid.clearSelection();
      toast(`Removed ${gone.length}`);
      await refresh();
    } catch (err) { toastError(err); }
  }
  /** @param {string[]} ids @param {import('../timeline/grid.js').Grid} grid */
  async function setCover(ids, grid) {
    await save({ albumThumbnailAssetId: ids[0] });
    grid.clearSelection();
    toast('Album cover updated', { kind: 'success' });
  }
  /** @param {string[]} ids */
  async function download(ids) {
    const { download: run } = await import('../albums/download.js');
    await run({ assetIds: ids });
  }

  async function refresh() {
    album = await api.get('/albums/{id}', { path: { id } });
    drawInfo();
  }

  function drawInfo() {
    const range = dateRange(album.startDate, album.endDate);
    const owner = ownerOf(album);
    replace(info,
      h('span', null, [range, `${album.assetCount} item${album.assetCount === 1 ? '' : 's'}`].filter(Boolean).join(' · ')),
      album.albumUsers.length > 1 || (owner && owner.id !== me.id)
        ? h('span.member-stack', { 'aria-label': 'Members' }, album.albumUsers.map((/** @type {any} */ m) => avatar(m.user)))
        : null);
    replace(toolbar,
      canEdit() ? h('button#add-photos', { type: 'button', onclick: async () => { if (await addPhotos(album)) { await area.store.reload(); await refresh(); } } }, icon(ICONS.upload), h('span', null, 'Add photos')) : null,
      album.assetCount ? h('button#download-album', { type: 'button', onclick: async () => (await import('../albums/download.js')).download({ albumId: id }) }, icon(ICONS.download), h('span', null, 'Download')) : null,
      isOwner() ? h('button#share-users', { type: 'button', onclick: async () => { if (await editMembers(album, true)) await refresh(); } }, icon(ICONS.sharing), h('span', null, 'Share')) : null,
      !isOwner() ? h('button#members', { type: 'button', onclick: () => editMembers(album, false) }, icon(ICONS.user), h('span', null, 'Members')) : null,
      isOwner() ? h('button#share-link', { type: 'button', onclick: async () => { if (await editLink({ albumId: id, config: ctx.server.config })) await refresh(); } }, icon(LINK), h('span', null, 'Shared link')) : null,
      album.isActivityEnabled && (album.shared || album.albumUsers.length > 1) ? h('button#toggle-activity', { type: 'button', 'aria-expanded': String(!side.hidden), onclick: toggleActivity }, icon(ICONS.info), h('span', null, 'Activity')) : null,
      h('span.al-spacer'),
      isOwner()
        ? h('button#album-options', { type: 'button', onclick: options }, icon(ICONS.settings), h('span', null, 'Options'))
        : h('button#leave-album', { type: 'button', onclick: leave }, icon(ICONS.logout), h('span', null, 'Leave')));
  }

  /** @type {ReturnType<typeof activityPanel> | null} */
  let activity = null;
  side.hidden = true;
  async function toggleActivity() {
    side.hidden = !side.hidden;
    if (!side.hidden) {
      activity = activityPanel(album, me, isOwner());
      replace(side, activity.el);
      await activity.load();
    }
    drawInfo();
  }

  /** The owner's settings: order, comments and likes, deleting the album. */
  async function options() {
    const order = /** @type {HTMLSelectElement} */ (h('select#album-order', null,
      h('option', { value: 'desc', selected: album.order !== 'asc' }, 'Newest first'),
      h('option', { value: 'asc', selected: album.order === 'asc' }, 'Oldest first')));
    const activityOn = /** @type {HTMLInputElement} */ (h('input#activity-enabled', { type: 'checkbox', checked: album.isActivityEnabled }));
    const answer = await modal('Album options', (close) => h('form.link-form', { onsubmit: (/** @type {Event} */ e) => { e.preventDefault(); close('save'); } },
      h('label', null, 'Display order', order),
      h('label.check', null, activityOn, 'Comments and likes'),
      h('div.actions', null,
        h('button.danger#delete-album', { type: 'button', onclick: () => close('delete') }, icon(ICONS.trash), h('span', null, 'Delete album')),
        h('span.al-spacer'),
        h('button', { type: 'button', onclick: () => close(null) }, 'Cancel'),
        h('button.primary#save-options', { type: 'submit' }, 'Save'))));
    if (answer === 'delete') return remove();
    if (answer !== 'save') return;
    const reorder = order.value !== (album.order || 'desc');
    await save({ order: order.value, isActivityEnabled: activityOn.checked });
    if (reorder) ctx.navigate(location.pathname, { replace: true }); // the grid again, in the new order
  }

  async function remove() {
    if (!await confirm(`Delete the album "${album.albumName || 'Untitled'}"? Its photos stay in your library.`, { title: 'Delete album', ok: 'Delete', danger: true })) return;
    try {
      await api.del('/albums/{id}', { path: { id } });
      toast('Album deleted');
      ctx.navigate('/albums', { replace: true });
    } catch (err) { toastError(err); }
  }
  async function leave() {
    if (!await confirm('Leave this album? You will no longer see it.', { ok: 'Leave', danger: true })) return;
    try {
      await api.del('/albums/{id}/user/{userId}', { path: { id, userId: 'me' } });
      ctx.navigate('/albums', { replace: true });
    } catch (err) { toastError(err); }
  }

  ctx.setTitle(album.albumName || 'Untitled');
  ctx.on('on_album_update', (/** @type {any} */ albumId) => {
    if (albumId === id || albumId?.albumId === id) { refresh().catch(() => {}); area.store.reload().catch(() => {}); }
  });
  drawInfo();
  if (ctx.query.get('new') && isOwner()) setTimeout(() => name.focus(), 0);

  const el = h('section.grid-page.album-page', null,
    h('div.grid-page-head', null,
      h('a.back-link', { href: '/albums' }, icon(ICONS.left), 'Albums'),
      name, description, info, toolbar),
    h('div.album-layout', null, area.el, side));
  return { el, destroy: area.destroy };
}
