// System settings: every section of GET /system-config as a collapsible card whose form is
// generated from the values' shape (admin/shape-form.js). Save sends the whole config with the
// section's new values (PUT /system-config); "Reset to default" fills the section from
// GET /system-config/defaults (then Save), "Undo" from the last saved values. A refused value
// shows the server's message, next to the field when the 400 names it.
import * as api from '../api.js';
import { h } from '../dom.js';
import { toast } from '../ui/toast.js';
import { SCHEMA } from '../admin/form-schema.js';
import { shapeForm, humanize } from '../admin/shape-form.js';

/** Section titles where the key's words are not what Immich's settings page calls them. */
const TITLES = {
  ffmpeg: 'Video transcoding', oauth: 'OAuth authentication', job: 'Job concurrency', image: 'Images',
  newVersionCheck: 'Version check', passwordLogin: 'Password authentication', storageTemplate: 'Storage template',
  server: 'Server', theme: 'Theme', trash: 'Trash', user: 'User deletion', templates: 'Email templates',
};
const title = (/** @type {string} */ name) => TITLES[/** @type {keyof TITLES} */ (name)] || humanize(name);

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const [config, defaults] = await Promise.all([
    api.get('/system-config', { signal: ctx.signal }),
    api.get('/system-config/defaults', { signal: ctx.signal }),
  ]);
  /** the config as the server last answered it */
  let saved = config;
  const open = ctx.query.get('section');

  const sections = Object.keys(config).sort().map((name) => {
    const isObject = config[name] !== null && typeof config[name] === 'object' && !Array.isArray(config[name]);
    // a scalar top-level value gets wrapped so the form code sees one shape
    const value = isObject ? config[name] : { [name]: config[name] };
    const form = shapeForm(value, SCHEMA.config, isObject ? name : '');
    const readSection = () => (isObject ? form.read() : form.read()[name]);
    const banner = h('div.cfg-banner', { role: 'alert', hidden: true });
    const status = h('span.cfg-status', { 'aria-live': 'polite' });

    const save = async () => {
      banner.hidden = true;
      form.clearErrors();
      saveButton.disabled = true;
      try {
        saved = await api.put('/system-config', { body: { ...saved, [name]: readSection() } });
        form.fill(isObject ? saved[name] : { [name]: saved[name] });
        status.textContent = 'Saved';
        setTimeout(() => { status.textContent = ''; }, 3000);
        toast(`${title(name)} settings saved`, { kind: 'success' });
      } catch (err) {
        const e = /** @type {any} */ (err);
        const errors = Array.isArray(e.body?.errors) ? e.body.errors : [];
        const rest = form.showErrors(errors);
        const marked = errors.length - rest.length;
        banner.textContent = [e.message, ...rest].join(': ') + (marked ? ` (${marked} value${marked === 1 ? '' : 's'} marked above)` : '');
        banner.hidden = false;
      } finally {
        saveButton.disabled = false;
      }
    };
    const saveButton = h('button.primary.cfg-save', { type: 'button', onclick: save }, 'Save');
    const actions = h('div.cfg-actions', null,
      h('button.cfg-reset-default', {
        type: 'button', title: 'Fill this section with the defaults (then Save)',
        onclick: () => { form.fill(isObject ? defaults[name] : { [name]: defaults[name] }); status.textContent = 'Defaults filled in: Save to apply'; },
      }, 'Reset to default'),
      h('button.cfg-undo', {
        type: 'button', title: 'Back to the saved values',
        onclick: () => { form.fill(isObject ? saved[name] : { [name]: saved[name] }); form.clearErrors(); banner.hidden = true; status.textContent = ''; },
      }, 'Undo changes'),
      saveButton, status);
    return h('details.cfg-section.card', { id: `section-${name}`, open: open === name, dataset: { section: name } },
      h('summary', null, h('span.cfg-title', null, title(name)), h('small.muted', null, name)),
      h('form.cfg-body', { onsubmit: (/** @type {Event} */ e) => { e.preventDefault(); save(); } }, form.el, banner, actions));
  });

  const list = h('div.cfg-sections', null, sections);
  const empty = h('p.muted', { hidden: true }, 'No setting matches.');
  const filter = /** @type {HTMLInputElement} */ (h('input#cfg-filter', {
    type: 'search', placeholder: 'Find a setting', 'aria-label': 'Find a setting',
    oninput: () => applyFilter(filter.value.trim().toLowerCase()),
  }));
  /** Show the rows whose label or path has the text, opening their sections. @param {string} q */
  const applyFilter = (q) => {
    let any = false;
    for (const section of sections) {
      let hits = 0;
      for (const row of section.querySelectorAll('.cfg-row')) {
        const hit = !q || (row.textContent || '').toLowerCase().includes(q) || (/** @type {HTMLElement} */ (row).dataset.path || '').toLowerCase().includes(q);
        /** @type {HTMLElement} */ (row).hidden = !hit;
        if (hit) hits++;
      }
      section.hidden = hits === 0;
      if (q && hits) { section.setAttribute('open', ''); for (const d of section.querySelectorAll('details')) d.setAttribute('open', ''); }
      any ||= hits > 0;
    }
    empty.hidden = any;
  };

  const el = h('section.page.admin-settings', null,
    h('div.page-head', null, h('h1', null, 'System settings'), filter),
    h('p.muted', null, 'Each section saves on its own. "Reset to default" fills in the defaults; Save applies them.'),
    list, empty);
  // the storage template's presets as suggestions (GET /system-config/storage-template-options)
  const template = list.querySelector('#cfg-storageTemplate-template');
  if (template) {
    api.get('/system-config/storage-template-options', { signal: ctx.signal }).then((options) => {
      const datalist = h('datalist#storage-template-presets', null, options.presetOptions.map((/** @type {string} */ o) => h('option', { value: o })));
      template.setAttribute('list', 'storage-template-presets');
      template.after(datalist);
    }).catch(() => {});
  }
  if (open) requestAnimationFrame(() => document.getElementById(`section-${open}`)?.scrollIntoView());
  return { el };
}
