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
  // in parallel: three round trips before the first screen otherwise
  const [config, user, features] = await Promise.all([
    api.get('/server/config'),
    api.get('/users/me').catch((e) => {
      if (e.status !== 401) throw e;
      return null;
    }),
    api.get('/server/features').catch(() => ({})),
  ]);
  session.config = config;
  session.user = user;
  session.features = user ? features : {};
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
