// Who is logged in and what the server offers: loaded at start, refreshed after login/logout.
import * as api from './api.js';

/**
 * @typedef {Object} Session
 * @property {any | null} user        GET /users/me (UserAdminResponseDto), null when logged out
 * @property {any} config             GET /server/config (isInitialized, loginPageMessage, ...)
 * @property {any} features           GET /server/features, {} when logged out
 */

/** @type {Session} */
export const session = { user: null, config: {}, features: {} };

/** Load the server config, the user and (logged in) the features. */
export async function loadSession() {
  session.config = await api.get('/server/config');
  try {
    session.user = await api.get('/users/me');
  } catch (e) {
    if (/** @type {any} */ (e).status !== 401) throw e;
    session.user = null;
  }
  session.features = session.user ? await api.get('/server/features').catch(() => ({})) : {};
  return session;
}

/** Log out on the server (it clears the cookies) and forget the user. */
export async function logout() {
  try {
    await api.post('/auth/logout');
  } finally {
    session.user = null;
    session.features = {};
  }
}
