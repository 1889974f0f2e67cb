// Memories: the "N years ago" cards (GET /memories, today's first), and a player (/memory?id=)
// that steps through a memory's assets with the arrow keys (or plays them, 5 s a photo) and
// marks the memory seen (PUT /memories/{id} seenAt) when it is opened.
import * as api from '../api.js';
import { h, icon } from '../dom.js';
import { ICONS } from '../icons.js';
import { hashUrl } from '../finding/results.js';
import { memoryTitle, loadMemories, memoryLane } from '../finding/memory-lane.js';
import { toastError } from '../ui/toast.js';

const STEP_MS = 5000;

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const id = ctx.query.get('id');
  return id ? player(ctx, id) : list(ctx);
}

/** @param {import('../router.js').ViewContext} ctx */
async function list(ctx) {
  const lane = memoryLane(await loadMemories(ctx.signal));
  const el = h('section.page.memories-page', null,
    h('h1', null, 'Memories'),
    lane || h('p.hint', null, 'No memories yet: on each day the photos taken on that date in earlier years become one.'));
  return { el };
}

/** @param {import('../router.js').ViewContext} ctx @param {string} id */
async function player(ctx, id) {
  const memory = await api.get('/memories/{id}', { path: { id }, signal: ctx.signal });
  const assets = memory.assets || [];
  let index = Math.min(Math.max(0, Number(ctx.query.get('index')) || 0), Math.max(0, assets.length - 1));
  let playing = true;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  ctx.setTitle(memoryTitle(memory));

  const stage = h('div.memory-stage');
  const counter = h('span.memory-counter', { 'aria-live': 'polite' });
  const bars = h('div.memory-progress', { 'aria-hidden': 'true' }, assets.map(() => h('span', null, h('i'))));
  const playButton = h('button.icon-button#memory-play', { type: 'button', onclick: () => setPlaying(!playing) });
  const saveButton = h('button#memory-save', { type: 'button', 'aria-pressed': String(Boolean(memory.isSaved)), onclick: toggleSaved },
    icon(ICONS.favorite), memory.isSaved ? 'Saved' : 'Save');

  function show() {
    clearTimeout(timer);
    if (ctx.signal.aborted) return;  // a video ending after the view left
    const a = assets[index];
    if (!a) { stage.replaceChildren(h('p.hint', null, 'This memory has no photos left.')); return; }
    const ph = hashUrl(a.thumbhash);
    const media = a.type === 'VIDEO'
      ? h('video', { src: api.url('/assets/{id}/video/playback', { id: a.id }), autoplay: true, muted: true, playsinline: true, controls: true,
        poster: api.url('/assets/{id}/thumbnail', { id: a.id }, { size: 'preview' }), onended: () => step(1) })
      : h('img', { alt: a.originalFileName || 'Photo', src: api.url('/assets/{id}/thumbnail', { id: a.id }, { size: 'preview' }) });
    const link = h('a.memory-media', { href: `/photos/${a.id}`, style: { backgroundImage: ph ? `url("${ph}")` : '' } }, media);
    // the placeholder's shape is approximate: gone once the photo is there
    media.addEventListener(a.type === 'VIDEO' ? 'loadeddata' : 'load', () => { link.style.backgroundImage = ''; }, { once: true });
    stage.replaceChildren(link);
    counter.textContent = `${index + 1} / ${assets.length}`;
    [...bars.children].forEach((b, i) => {
      b.className = i < index ? 'done' : i === index ? (playing ? 'now playing' : 'now') : '';
    });
    bars.style.setProperty('--step', `${STEP_MS}ms`);
    if (playing && a.type !== 'VIDEO') timer = setTimeout(() => step(1), STEP_MS);
    history.replaceState(null, '', `/memory?id=${encodeURIComponent(id)}&index=${index}`);
  }

  /** @param {number} by */
  function step(by) {
    const next = index + by;
    if (next < 0 || next >= assets.length) { if (by > 0) setPlaying(false); return; }
    index = next;
    show();
  }

  /** @param {boolean} on */
  function setPlaying(on) {
    playing = on;
    playButton.replaceChildren(icon(on ? 'M14 19h4V5h-4M6 19h4V5H6v14Z' : 'M8 5.1v14l11-7-11-7Z', on ? 'Pause' : 'Play'));
    show();
  }

  async function toggleSaved() {
    try {
      const updated = await api.put('/memories/{id}', { path: { id }, body: { isSaved: !memory.isSaved } });
      memory.isSaved = updated.isSaved;
      saveButton.setAttribute('aria-pressed', String(Boolean(memory.isSaved)));
      saveButton.lastChild && (saveButton.lastChild.textContent = memory.isSaved ? 'Saved' : 'Save');
    } catch (err) {
      toastError(err);
    }
  }

  ctx.shortcut('ArrowRight', 'Next photo', () => step(1));
  ctx.shortcut('ArrowLeft', 'Previous photo', () => step(-1));
  ctx.shortcut(' ', 'Play or pause', () => setPlaying(!playing));
  ctx.shortcut('Escape', 'Back to memories', () => ctx.navigate('/memory'));

  const el = h('section.memory-player', { 'aria-label': `Memory: ${memoryTitle(memory)}` },
    h('div.memory-bar', null,
      h('a.icon-button', { href: '/memory', 'aria-label': 'Close' }, icon(ICONS.close)),
      h('h1', null, memoryTitle(memory)),
      counter, playButton, saveButton),
    bars,
    h('div.memory-body', null,
      h('button.icon-button.memory-prev', { type: 'button', 'aria-label': 'Previous', onclick: () => step(-1) }, icon(ICONS.left)),
      stage,
      h('button.icon-button.memory-next', { type: 'button', 'aria-label': 'Next', onclick: () => step(1) }, icon(ICONS.right))));
  setPlaying(true);
  if (!memory.seenAt) {
    api.put('/memories/{id}', { path: { id }, body: { seenAt: new Date().toISOString() } }).catch(() => {});
  }
  return { el, destroy: () => clearTimeout(timer) };
}
