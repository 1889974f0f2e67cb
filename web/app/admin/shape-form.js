// A form generated from a settings object's shape (the system config, a user's preferences):
// nested objects become collapsible groups, booleans switches, numbers number inputs, strings
// text inputs, and form-schema.js (from the OpenAPI document) adds enum choices, nullability
// and bounds. New sections (a plugin's) appear without code here: their values carry the shape.
import { h } from '../dom.js';

/**
 * @typedef {{t: string, e?: any[], i?: {t: string, e?: any[]}, n?: boolean, min?: number, max?: number, d?: string}} Leaf
 * @typedef {{get: () => any, set: (v: any) => void, row: HTMLElement, note: HTMLElement}} Field
 */

/** 'loginPageMessage' -> 'Login page message'. */
export function humanize(/** @type {string} */ key) {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const LONG_TEXT = /css|template|message|body/i;
const SECRET = /password|secret/i;

/**
 * Inputs for every leaf under `value`, registered in `fields` by dotted path.
 * @param {any} value @param {string} path @param {Record<string, Leaf>} schema
 * @param {Map<string, Field>} fields @param {number} depth
 * @returns {HTMLElement[]}
 */
function build(value, path, schema, fields, depth) {
  const out = [];
  const keys = Object.keys(value);
  // leaves first, then sub-groups: a group's own switches read before its details
  const leaves = keys.filter((k) => !isGroup(value[k], schema[join(path, k)]));
  const groups = keys.filter((k) => isGroup(value[k], schema[join(path, k)]));
  for (const key of leaves) out.push(leaf(value[key], join(path, key), key, schema, fields));
  for (const key of groups) {
    const sub = join(path, key);
    out.push(h('details.cfg-group', { open: depth < 1, dataset: { path: sub } },
      h('summary', null, humanize(key)),
      h('div.cfg-fields', null, build(value[key], sub, schema, fields, depth + 1))));
  }
  return out;
}

const join = (/** @type {string} */ a, /** @type {string} */ b) => (a ? `${a}.${b}` : b);
const isGroup = (/** @type {any} */ v, /** @type {Leaf | undefined} */ s) =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(s && s.t !== 'object');

/**
 * One leaf: its input, and how to read and write it.
 * @param {any} value @param {string} path @param {string} key
 * @param {Record<string, Leaf>} schema @param {Map<string, Field>} fields
 */
function leaf(value, path, key, schema, fields) {
  const s = schema[path] || /** @type {Leaf} */ ({ t: Array.isArray(value) ? 'array' : value === null ? 'string' : typeof value, n: value === null });
  const label = s.d && s.d.length < 60 ? s.d : humanize(key);
  const hint = s.d && s.d.length >= 60 ? s.d : '';
  const id = `cfg-${path.replace(/\./g, '-')}`;
  const note = h('small.cfg-error', { role: 'alert', hidden: true });
  /** @type {HTMLElement} */ let input;
  /** @type {() => any} */ let get;
  /** @type {(v: any) => void} */ let set;

  if (s.t === 'boolean') {
    const box = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', role: 'switch', id, name: path }));
    input = box; get = () => box.checked; set = (v) => { box.checked = Boolean(v); };
    const row = h('div.cfg-row.cfg-switch', { dataset: { path } },
      h('label', { for: id }, box, h('span', null, label)), hint ? h('small.hint', null, hint) : null, note);
    set(value);
    fields.set(path, { get, set, row, note });
    return row;
  }
  if (s.t === 'array' && s.i?.e) {
    const boxes = s.i.e.map((choice) => /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', value: String(choice), name: path })));
    const numeric = s.i.t === 'integer' || s.i.t === 'number';
    input = h('div.cfg-choices', { role: 'group', 'aria-label': label, id },
      boxes.map((b) => h('label.choice', null, b, h('span', null, b.value))));
    get = () => boxes.filter((b) => b.checked).map((b) => (numeric ? Number(b.value) : b.value));
    set = (v) => { const want = (v || []).map(String); for (const b of boxes) b.checked = want.includes(b.value); };
  } else if (s.t === 'array') {
    const area = /** @type {HTMLTextAreaElement} */ (h('textarea', { id, name: path, rows: 3 }));
    const numeric = s.i?.t === 'integer' || s.i?.t === 'number';
    input = area;
    get = () => area.value.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => (numeric ? Number(l) : l));
    set = (v) => { area.value = (v || []).join('\n'); };
  } else if (s.e) {
    const numeric = s.t === 'integer' || s.t === 'number';
    const select = /** @type {HTMLSelectElement} */ (h('select', { id, name: path },
      s.n ? h('option', { value: '' }, '(none)') : null,
      s.e.map((choice) => h('option', { value: String(choice) }, String(choice)))));
    input = select;
    get = () => (select.value === '' && s.n ? null : numeric ? Number(select.value) : select.value);
    set = (v) => { select.value = v === null || v === undefined ? '' : String(v); };
  } else if (s.t === 'integer' || s.t === 'number') {
    const num = /** @type {HTMLInputElement} */ (h('input', {
      type: 'number', id, name: path, step: s.t === 'integer' ? '1' : 'any', min: s.min, max: s.max,
      placeholder: s.n ? '(none)' : undefined,
    }));
    input = num;
    // a value the browser cannot parse reads as the raw text, so the server's message names it
    get = () => (num.value === '' ? (s.n ? null : num.validity.badInput ? 'not a number' : null) : Number(num.value));
    set = (v) => { num.value = v === null || v === undefined ? '' : String(v); };
  } else {
    const long = LONG_TEXT.test(key);
    const text = /** @type {HTMLInputElement} */ (long
      ? h('textarea', { id, name: path, rows: key.toLowerCase().includes('css') ? 6 : 3 })
      : h('input', { type: SECRET.test(key) ? 'password' : 'text', id, name: path, autocomplete: 'off' }));
    input = text;
    get = () => (text.value === '' && s.n ? null : text.value);
    set = (v) => { text.value = v === null || v === undefined ? '' : String(v); };
  }
  const row = h('div.cfg-row', { dataset: { path } },
    h('label', { for: id }, label), input, hint ? h('small.hint', null, hint) : null, note);
  set(value);
  fields.set(path, { get, set, row, note });
  return row;
}

/**
 * The form for one settings object.
 * @param {any} value the current values (the shape)
 * @param {Record<string, Leaf>} schema form-schema.js's table for this kind of object
 * @param {string} [prefix] the dotted path of `value` inside the whole object ('' for the root)
 */
export function shapeForm(value, schema, prefix = '') {
  /** @type {Map<string, Field>} */
  const fields = new Map();
  const el = h('div.cfg-fields', null, build(value, prefix, schema, fields, 0));

  /** Read the inputs back into an object of the same shape. */
  const read = () => {
    /** @type {any} */
    const out = structuredClone(value);
    for (const [path, field] of fields) {
      const keys = (prefix ? path.slice(prefix.length + 1) : path).split('.');
      let at = out;
      for (const k of keys.slice(0, -1)) at = at[k];
      at[keys[keys.length - 1]] = field.get();
    }
    return out;
  };
  /** Put values (the defaults, the saved ones) into the inputs. @param {any} values */
  const fill = (values) => {
    for (const [path, field] of fields) {
      const keys = (prefix ? path.slice(prefix.length + 1) : path).split('.');
      let at = values;
      for (const k of keys) at = at?.[k];
      if (at !== undefined) field.set(at);
    }
  };
  /**
   * Mark the fields named by a 400's `errors` ([{path: [...], message}]); returns the messages
   * that name no field here. @param {{path?: any[], message: string}[]} errors
   */
  const showErrors = (errors) => {
    clearErrors();
    const rest = [];
    for (const err of errors) {
      const field = fields.get((err.path || []).join('.'));
      if (!field) { rest.push(err.message); continue; }
      field.row.classList.add('invalid');
      field.note.textContent = err.message;
      field.note.hidden = false;
      field.row.closest('details')?.setAttribute('open', '');
    }
    return rest;
  };
  const clearErrors = () => {
    for (const field of fields.values()) { field.row.classList.remove('invalid'); field.note.hidden = true; }
  };
  return { el, read, fill, showErrors, clearErrors, fields };
}
