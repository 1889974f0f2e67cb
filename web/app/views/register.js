// First visit: create the admin (POST /auth/admin-sign-up), then log in as them.
import * as api from '../api.js';
import { h } from '../dom.js';
import { loadSession } from '../session.js';
import * as socket from '../socket.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  if (ctx.server.config.isInitialized) {
    ctx.navigate(ctx.user ? '/photos' : '/auth/login', { replace: true });
    return { el: h('div') };
  }
  const error = h('p.form-error#register-error', { role: 'alert', hidden: true });
  const field = (/** @type {string} */ label, /** @type {Record<string, any>} */ attrs) => {
    const input = /** @type {HTMLInputElement} */ (h('input', { required: true, ...attrs }));
    return { input, el: h('label', null, label, input) };
  };
  const email = field('Admin email', { type: 'email', name: 'email', autocomplete: 'email', autofocus: true });
  const password = field('Admin password', { type: 'password', name: 'password', autocomplete: 'new-password' });
  const confirm = field('Confirm admin password', { type: 'password', name: 'confirm', autocomplete: 'new-password' });
  const name = field('Name', { type: 'text', name: 'name', autocomplete: 'name' });
  const button = h('button.primary', { type: 'submit' }, 'Sign up');
  const form = h('form.auth-card#register-form', { onsubmit: async (/** @type {Event} */ e) => {
    e.preventDefault();
    error.hidden = true;
    if (password.input.value !== confirm.input.value) {
      error.textContent = 'Passwords do not match';
      error.hidden = false;
      return;
    }
    button.disabled = true;
    try {
      const body = { email: email.input.value, password: password.input.value, name: name.input.value };
      await api.post('/auth/admin-sign-up', { body });
      await api.post('/auth/login', { body: { email: body.email, password: body.password } });
      await loadSession();
      socket.connect();
      ctx.navigate('/photos', { replace: true });
    } catch (err) {
      error.textContent = /** @type {any} */ (err).message;
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  } },
  h('h1', null, 'Welcome to immich'),
  h('p', null, 'Create the admin account to get started.'),
  email.el, password.el, confirm.el, name.el, error, button);
  return { el: h('div.auth-page', null, form) };
}
