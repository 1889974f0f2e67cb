// A small full-window viewer for the shared-link page (visitors have no access to the app's
// viewer screen): the preview, previous/next, download when allowed, Escape to close.
import * as api from '../api.js';
import { h, icon } from '../dom.js';
import { ICONS } from '../icons.js';
import { download } from './download.js';

/**
 * Show `ids[start]`; returns a function that closes it.
 * @param {string[]} ids @param {string} start
 * @param {{share?: Record<string, string>, allowDownload?: boolean}} opts
 */
export function lightbox(ids, start, opts) {
  let index = Math.max(0, ids.indexOf(start));
  const img = /** @type {HTMLImageElement} */ (h('img.lightbox-image', { alt: 'Photo' }));
  const counter = h('span.lightbox-count');
  const prev = h('button.icon-button.lightbox-prev', { type: 'button', 'aria-label': 'Previous', onclick: () => go(-1) }, icon(ICONS.left));
  const next = h('button.icon-button.lightbox-next', { type: 'button', 'aria-label': 'Next', onclick: () => go(1) }, icon(ICONS.right));
  const el = h('div.lightbox#lightbox', { role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Photo viewer' },
    h('div.lightbox-bar', null,
      h('button.icon-button', { type: 'button', 'aria-label': 'Close', onclick: close }, icon(ICONS.close)),
      counter,
      h('span.al-spacer'),
      opts.allowDownload ? h('button.icon-button#lightbox-download', { type: 'button', 'aria-label': 'Download', onclick: () => download({ assetIds: [ids[index]] }, opts.share) }, icon(ICONS.download)) : null),
    prev, img, next);

  function draw() {
    img.src = api.url('/assets/{id}/thumbnail', { id: ids[index] }, { size: 'preview', ...(opts.share || {}) });
    counter.textContent = `${index + 1} / ${ids.length}`;
    prev.hidden = index === 0;
    next.hidden = index >= ids.length - 1;
  }
  function go(/** @type {number} */ step) {
    index = Math.min(ids.length - 1, Math.max(0, index + step));
    draw();
  }
  function onKey(/** @type {KeyboardEvent} */ e) {
    if (e.key === 'Escape') close();
    else if (e.key === 'ArrowLeft') go(-1);
    else if (e.key === 'ArrowRight') go(1);
    else return;
    e.preventDefault();
    e.stopPropagation();
  }
  function close() {
    document.removeEventListener('keydown', onKey, true);
    el.remove();
  }
  document.addEventListener('keydown', onKey, true);
  document.body.append(el);
  draw();
  /** @type {HTMLElement | null} */ (el.querySelector('button'))?.focus();
  return close;
}
