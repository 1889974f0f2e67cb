// Log in (POST /auth/login); shows the admin's login page message. A user the admin created with
// "must change password" (shouldChangePassword) picks a new one before going on, as in Immich.
import * as api from '../api.js';
import { h, replace } from '../dom.js';
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
  const page = h('div.auth-page');
  const done = async () => {
    await loadSession();
    socket.connect();
    const next = ctx.query.get('continue');
    ctx.navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/photos', { replace: true });
  };
  const form = h('form.auth-card#login-form', { onsubmit: async (/** @type {Event} */ e) => {
    e.preventDefault();
    error.hidden = true;
    button.disabled = true;
    try {
      const login = await api.post('/auth/login', { body: { email: email.value, password: password.value } });
      if (login.shouldChangePassword) replace(page, changePasswordForm(password.value, done));
      else await done();
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
  page.append(form);
  return { el: page };
}

/** The new password form after a login that must change it. @param {string} current @param {() => Promise<void>} done */
function changePasswordForm(current, done) {
  const error = h('p.form-error#change-password-error', { role: 'alert', hidden: true });
  const next = /** @type {HTMLInputElement} */ (h('input#new-password', { type: 'password', name: 'newPassword', required: true, minlength: 8, autocomplete: 'new-password', autofocus: true }));
  const again = /** @type {HTMLInputElement} */ (h('input#confirm-password', { type: 'password', name: 'confirmPassword', required: true, autocomplete: 'new-password' }));
  const button = h('button.primary', { type: 'submit' }, 'Change password');
  return h('form.auth-card#change-password-form', { onsubmit: async (/** @type {Event} */ e) => {
    e.preventDefault();
    error.hidden = true;
    if (next.value !== again.value) {
      error.textContent = 'The passwords do not match.';
      error.hidden = false;
      return;
    }
    button.disabled = true;
    try {
      await api.post('/auth/change-password', { body: { password: current, newPassword: next.value } });
      await done();
    } catch (err) {
      error.textContent = /** @type {any} */ (err).message;
      error.hidden = false;
      button.disabled = false;
    }
  } },
  h('h1', null, 'Change password'),
  h('p', null, 'Your administrator asks you to choose a new password before you go on.'),
  h('label', null, 'New password', next),
  h('label', null, 'Confirm password', again),
  error, button);
}
