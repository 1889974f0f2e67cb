// Account settings: profile, password, API keys, devices, PIN code and preferences, each a
// collapsible card (?section=<id> opens one). The pieces live in app/account/; the preferences
// form is generated from GET /users/me/preferences like the system settings.
import * as api from '../api.js';
import { h } from '../dom.js';
import { toast } from '../ui/toast.js';
import { profileSection } from '../account/profile.js';
import { passwordSection, pinSection } from '../account/security.js';
import { apiKeysSection, sessionsSection } from '../account/devices.js';
import { SCHEMA } from '../admin/form-schema.js';
import { shapeForm } from '../admin/shape-form.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const open = ctx.query.get('section') || 'profile';
  const [keys, devices, pin, prefs] = await Promise.all([
    apiKeysSection(ctx), sessionsSection(ctx), pinSection(ctx), preferencesSection(ctx),
  ]);
  const card = (/** @type {string} */ id, /** @type {string} */ title, /** @type {string} */ about, /** @type {Node} */ body) =>
    h('details.card.account-section', { id: `section-${id}`, open: open === id },
      h('summary', null, h('span.cfg-title', null, title), h('small.muted', null, about)), h('div.account-body', null, body));
  const el = h('section.page.user-settings', null,
    h('h1', null, 'Account settings'),
    card('profile', 'Profile', 'Name, picture', profileSection(ctx)),
    card('password', 'Password', 'Change your password', passwordSection()),
    card('api-keys', 'API keys', 'Keys for apps and scripts', keys),
    card('devices', 'Devices', 'Where you are logged in', devices),
    card('pin', 'PIN code', 'For the locked folder', pin),
    card('preferences', 'Preferences', 'Features, downloads, notifications', prefs));
  return { el };
}

/** The preferences form: PUT /users/me/preferences with every value. @param {import('../router.js').ViewContext} ctx */
async function preferencesSection(ctx) {
  const prefs = await api.get('/users/me/preferences', { signal: ctx.signal });
  const form = shapeForm(prefs, SCHEMA.preferences);
  const error = h('p.form-error', { role: 'alert', hidden: true });
  return h('form.account-form.prefs-form', { onsubmit: async (/** @type {Event} */ e) => {
    e.preventDefault();
    error.hidden = true;
    form.clearErrors();
    try {
      form.fill(await api.put('/users/me/preferences', { body: form.read() }));
      toast('Preferences saved', { kind: 'success' });
    } catch (err) {
      const x = /** @type {any} */ (err);
      const rest = Array.isArray(x.body?.errors) ? form.showErrors(x.body.errors) : [];
      error.textContent = [x.message, ...rest].join(': ');
      error.hidden = false;
    }
  } }, form.el, error, h('div.actions', null, h('button.primary', { type: 'submit' }, 'Save preferences')));
}
