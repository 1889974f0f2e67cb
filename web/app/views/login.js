// Log in (POST /auth/login); shows the admin's login page message.
import * as api from '../api.js';
import { h } from '../dom.js';
import { loadSession } from '../session.js';
import * as socket from '../socket.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  if (ctx.user) {
    ctx.navigate('/photos', { replace: true });
    return { el: h('div') };
  }
  const error = h('p.form-error#login-error', { role: 'alert', hidden: true });
  const email = h('input', { type: 'email', name: 'email', required: true, autocomplete: 'email', autofocus: true });
  const password = h('input', { type: 'password', name: 'password', required: true, autocomplete: 'current-password' });
  const button = h('button.primary', { type: 'submit' }, 'Log in');
  const message = ctx.server.config.loginPageMessage;
  const form = h('form.auth-card#login-form', { onsubmit: async (/** @type {Event} */ e) => {
    e.preventDefault();
    error.hidden = true;
    button.disabled = true;
    try {
      await api.post('/auth/login', { body: { email: email.value, password: password.value } });
      await loadSession();
      socket.connect();
      const next = ctx.query.get('continue');
      ctx.navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/photos', { replace: true });
    } catch (err) {
      error.textContent = /** @type {any} */ (err).message;
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  } },
  h('h1', null, 'immich'),
  message ? h('p.login-message#login-message', null, message) : null,
  h('label', null, 'Email', email),
  h('label', null, 'Password', password),
  error,
  button);
  return { el: h('div.auth-page', null, form) };
}
