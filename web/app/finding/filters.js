// The search filters: what the URL of /search says (so a search is a link that survives a
// reload), the request body it becomes, and the panel that edits it. The location and camera
// choices come from GET /search/suggestions, each list narrowed by the other choices (a model
// list only holds the chosen make's models), as Immich's filter panel does.
import * as api from '../api.js';
import { h } from '../dom.js';

/** The URL parameters a search keeps, in the order chips show them. */
export const KEYS = /** @type {const} */ (['query', 'mode', 'takenAfter', 'takenBefore', 'country', 'state', 'city',
  'make', 'model', 'lensModel', 'type', 'favorite', 'visibility', 'notInAlbum']);

/** @typedef {Partial<Record<typeof KEYS[number], string>>} Filters */

/** The filters in a location's query. @param {URLSearchParams} q */
export function readFilters(q) {
  /** @type {Filters} */
  const f = {};
  for (const k of KEYS) { const v = q.get(k); if (v) f[k] = v; }
  return f;
}

/** The /search URL for some filters. @param {Filters} f */
export function searchHref(f) {
  const q = new URLSearchParams();
  for (const k of KEYS) { const v = f[k]; if (v) q.set(k, v); }
  const s = q.toString();
  return s ? `/search?${s}` : '/search';
}

/** A date input's day as the start (or end) of that day in UTC ISO. @param {string} day @param {boolean} end */
const isoDay = (day, end) => `${day}T${end ? '23:59:59.999' : '00:00:00.000'}Z`;

/**
 * The body for POST /search/metadata or /search/smart.
 * @param {Filters} f @param {boolean} smart
 */
export function requestBody(f, smart) {
  /** @type {Record<string, any>} */
  const body = { withExif: true };
  if (f.query) {
    if (smart) body.query = f.query;
    else if (f.mode === 'description') body.description = f.query;
    else body.originalFileName = f.query;
  }
  if (f.takenAfter) body.takenAfter = isoDay(f.takenAfter, false);
  if (f.takenBefore) body.takenBefore = isoDay(f.takenBefore, true);
  for (const k of /** @type {const} */ (['country', 'state', 'city', 'make', 'model', 'lensModel'])) if (f[k]) body[k] = f[k];
  if (f.type === 'IMAGE' || f.type === 'VIDEO') body.type = f.type;
  if (f.favorite === 'true') body.isFavorite = true;
  body.visibility = f.visibility === 'archive' ? 'archive' : f.visibility === 'any' ? undefined : 'timeline';
  if (f.notInAlbum === 'true') body.isNotInAlbum = true;
  return body;
}

/** Human labels of the active filters (the chips above the results). @param {Filters} f */
export function describe(f) {
  /** @type {[keyof Filters, string][]} */
  const out = [];
  if (f.query) out.push(['query', `${f.mode === 'description' ? 'Description' : f.mode === 'smart' ? 'Smart' : 'File name'}: ${f.query}`]);
  if (f.takenAfter) out.push(['takenAfter', `From ${f.takenAfter}`]);
  if (f.takenBefore) out.push(['takenBefore', `Until ${f.takenBefore}`]);
  for (const k of /** @type {const} */ (['city', 'state', 'country', 'make', 'model', 'lensModel'])) if (f[k]) out.push([k, /** @type {string} */ (f[k])]);
  if (f.type) out.push(['type', f.type === 'VIDEO' ? 'Videos' : 'Photos']);
  if (f.favorite) out.push(['favorite', 'Favorites']);
  if (f.visibility === 'archive') out.push(['visibility', 'Archived']);
  if (f.visibility === 'any') out.push(['visibility', 'Archived or not']);
  if (f.notInAlbum) out.push(['notInAlbum', 'In no album']);
  return out;
}

/** Which suggestion list each select shows, and the choices that narrow it. */
const SUGGEST = /** @type {const} */ ({
  country: { type: 'country', by: [] },
  state: { type: 'state', by: ['country'] },
  city: { type: 'city', by: ['country', 'state'] },
  make: { type: 'camera-make', by: ['model', 'lensModel'] },
  model: { type: 'camera-model', by: ['make', 'lensModel'] },
  lensModel: { type: 'camera-lens-model', by: ['make', 'model'] },
});
/** @typedef {keyof typeof SUGGEST} SuggestKey */
const LABELS = { country: 'Country', state: 'State', city: 'City', make: 'Make', model: 'Model', lensModel: 'Lens' };

/**
 * The filter panel: a form that calls `apply(filters)` on submit.
 * @param {Filters} f @param {{smart: boolean, apply: (f: Filters) => void, cancel: () => void, signal: AbortSignal}} opts
 */
export function filterPanel(f, opts) {
  /** @type {Record<SuggestKey, HTMLSelectElement>} */
  const selects = /** @type {any} */ ({});
  for (const k of /** @type {SuggestKey[]} */ (Object.keys(SUGGEST))) {
    selects[k] = /** @type {HTMLSelectElement} */ (h(`select#filter-${k}`, { name: k, onchange: () => refreshOthers(k) }));
    fill(selects[k], f[k] ? [f[k]] : [], f[k] || '');
  }
  const text = /** @type {HTMLInputElement} */ (h('input#filter-query', { name: 'query', type: 'search', value: f.query || '', placeholder: 'Words to look for' }));
  const mode = /** @type {HTMLSelectElement} */ (h('select#filter-mode', { name: 'mode' },
    opts.smart ? h('option', { value: 'smart' }, 'Smart search (what is in the photo)') : null,
    h('option', { value: 'filename' }, 'File name'),
    h('option', { value: 'description' }, 'Description')));
  mode.value = f.mode || (opts.smart ? 'smart' : 'filename');
  const after = /** @type {HTMLInputElement} */ (h('input#filter-after', { name: 'takenAfter', type: 'date', value: f.takenAfter || '' }));
  const before = /** @type {HTMLInputElement} */ (h('input#filter-before', { name: 'takenBefore', type: 'date', value: f.takenBefore || '' }));
  const radio = (/** @type {string} */ value, /** @type {string} */ label) => h('label.inline', null,
    h('input', { type: 'radio', name: 'type', value, checked: (f.type || '') === value }), label);
  const check = (/** @type {string} */ name, /** @type {string} */ label, /** @type {boolean} */ on) => h('label.inline', null,
    h('input', { type: 'checkbox', name, value: 'true', checked: on }), label);
  const visibility = /** @type {HTMLSelectElement} */ (h('select#filter-visibility', { name: 'visibility' },
    h('option', { value: '' }, 'Not archived'), h('option', { value: 'archive' }, 'Archived only'), h('option', { value: 'any' }, 'Both')));
  visibility.value = f.visibility || '';

  const form = /** @type {HTMLFormElement} */ (h('form.filter-panel', {
    'aria-label': 'Search filters',
    onsubmit: (/** @type {Event} */ e) => {
      e.preventDefault();
      const data = new FormData(form);
      /** @type {Filters} */
      const out = {};
      for (const k of KEYS) { const v = data.get(k); if (typeof v === 'string' && v.trim()) out[k] = v.trim(); }
      if (out.mode === (opts.smart ? 'smart' : 'filename') || !out.query) delete out.mode;
      opts.apply(out);
    },
  },
  h('fieldset', null, h('legend', null, 'Text'), h('div.filter-row', null, h('label', null, 'Search in', mode), h('label.grow', null, 'Text', text))),
  h('fieldset', null, h('legend', null, 'Date taken'), h('div.filter-row', null, h('label', null, 'From', after), h('label', null, 'To', before))),
  h('fieldset', null, h('legend', null, 'Location'), h('div.filter-row', null,
    ...(/** @type {SuggestKey[]} */ (['country', 'state', 'city'])).map((k) => h('label', null, LABELS[k], selects[k])))),
  h('fieldset', null, h('legend', null, 'Camera'), h('div.filter-row', null,
    ...(/** @type {SuggestKey[]} */ (['make', 'model', 'lensModel'])).map((k) => h('label', null, LABELS[k], selects[k])))),
  h('fieldset', null, h('legend', null, 'Media type'), h('div.filter-row', null, radio('', 'All'), radio('IMAGE', 'Photos'), radio('VIDEO', 'Videos'))),
  h('fieldset', null, h('legend', null, 'Display'), h('div.filter-row', null,
    check('favorite', 'Favorites only', f.favorite === 'true'),
    check('notInAlbum', 'In no album', f.notInAlbum === 'true'),
    h('label', null, 'Archive', visibility))),
  h('div.actions', null,
    h('button', { type: 'button', onclick: () => { form.reset(); for (const s of Object.values(selects)) s.value = ''; refreshAll(); } }, 'Clear all'),
    h('button', { type: 'button', onclick: opts.cancel }, 'Cancel'),
    h('button.primary#filter-apply', { type: 'submit' }, 'Search'))));

  /** @param {HTMLSelectElement} select @param {string[]} values @param {string} chosen */
  function fill(select, values, chosen) {
    const all = chosen && !values.includes(chosen) ? [chosen, ...values] : values;
    select.replaceChildren(h('option', { value: '' }, 'Any'), ...all.map((v) => h('option', { value: v }, v)));
    select.value = chosen;
  }

  /** @param {SuggestKey} k */
  async function refresh(k) {
    const { type, by } = SUGGEST[k];
    /** @type {Record<string, string>} */
    const query = { type };
    for (const other of by) if (selects[other].value) query[other] = selects[other].value;
    try {
      const values = await api.get('/search/suggestions', { query, signal: opts.signal });
      fill(selects[k], values.filter((/** @type {any} */ v) => typeof v === 'string' && v), selects[k].value);
      selects[k].dataset.loaded = 'true';
    } catch (err) {
      if (/** @type {any} */ (err)?.name !== 'AbortError') console.error(err);
    }
  }
  /** Reload the lists that the changed one narrows. @param {SuggestKey} changed */
  function refreshOthers(changed) {
    for (const k of /** @type {SuggestKey[]} */ (Object.keys(SUGGEST))) {
      if (/** @type {readonly string[]} */ (SUGGEST[k].by).includes(changed)) {
        // a new country (or state) makes the places below it stale
        if ((changed === 'country' && k !== 'country') || (changed === 'state' && k === 'city')) selects[k].value = '';
        refresh(k);
      }
    }
  }
  function refreshAll() { for (const k of /** @type {SuggestKey[]} */ (Object.keys(SUGGEST))) refresh(k); }
  refreshAll();
  return form;
}
