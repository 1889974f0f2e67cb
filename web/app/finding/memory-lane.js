// The row of "N years ago" memory cards (GET /memories), for the memories screen and for any
// screen that wants it above its photos (Immich shows it atop the timeline).
import * as api from '../api.js';
import { h } from '../dom.js';
import { hashUrl } from './results.js';

/** "1 year ago", "3 years ago" (on-this-day memories carry their year). @param {any} m */
export function memoryTitle(m) {
  const year = Number(m.data?.year);
  const years = new Date().getFullYear() - year;
  if (!year) return new Date(m.memoryAt).toLocaleDateString(undefined, { dateStyle: 'medium' });
  return years <= 0 ? 'This year' : `${years} year${years === 1 ? '' : 's'} ago`;
}

/** The memories worth a card (with assets), newest first. @param {AbortSignal} [signal] */
export async function loadMemories(signal) {
  const all = await api.get('/memories', { signal });
  return all
    .filter((/** @type {any} */ m) => m.assets?.length)
    .sort((/** @type {any} */ a, /** @type {any} */ b) => (b.memoryAt < a.memoryAt ? -1 : 1));
}

/** One card linking to the player. @param {any} m */
function card(m) {
  const cover = m.assets[0];
  const ph = hashUrl(cover.thumbhash);
  return h('li', null, h('a.memory-card', {
    href: `/memory?id=${encodeURIComponent(m.id)}`, dataset: { id: m.id, seen: m.seenAt ? 'true' : 'false' },
    style: { backgroundImage: ph ? `url("${ph}")` : '' },
  },
  h('img', { alt: '', loading: 'lazy', src: api.url('/assets/{id}/thumbnail', { id: cover.id }, { size: 'preview' }) }),
  h('span.memory-title', null, memoryTitle(m)),
  h('span.memory-count', null, `${m.assets.length} photo${m.assets.length === 1 ? '' : 's'}`),
  m.seenAt ? null : h('span.memory-new', null, 'New')));
}

/** The row of cards, or null when there are none. @param {any[]} memories */
export function memoryLane(memories) {
  return memories.length ? h('ul.memory-row', { 'aria-label': 'Memories' }, memories.map(card)) : null;
}
