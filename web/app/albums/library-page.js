// The frame of the simple library screens (favorites, archive, trash, locked, partner): a
// heading, optional buttons, an explanation line and the asset list, reloaded on live changes.
import { h } from '../dom.js';
import { assetList } from './assets.js';

/**
 * @param {import('../router.js').ViewContext} ctx
 * @param {{title: string, note?: string, buttons?: Node[], list: import('./assets.js').ListOptions, id?: string}} opts
 */
export async function libraryPage(ctx, opts) {
  const list = assetList({ signal: ctx.signal, label: opts.title, ...opts.list });
  const reload = () => list.reload().catch(() => {});
  for (const ev of ['on_upload_success', 'on_asset_delete', 'on_asset_trash', 'on_asset_restore', 'on_asset_update']) ctx.on(ev, reload);
  await list.reload();
  const el = h(`section.page.library-page${opts.id ? `#${opts.id}` : ''}`, null,
    h('div.page-head', null, h('h1', null, opts.title), h('div.head-buttons', null, opts.buttons || [])),
    opts.note ? h('p.muted.page-note', null, opts.note) : null,
    list.el);
  return { el, list };
}
