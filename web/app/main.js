// The entry point: load the session, connect the live socket, install shortcuts, start routing.
import { loadSession, session } from './session.js';
import { onError } from './api.js';
import { startRouter, navigate } from './router.js';
import { installKeyboard, shortcut } from './keyboard.js';
import * as socket from './socket.js';
import { h, replace } from './dom.js';
import { installDropZone } from './upload.js';

async function boot() {
  await loadSession();
  if (session.user) socket.connect();
  onError((err) => {
    // an expired session while using the app: back to the login page. A shared link's own
    // 401 (it wants its password) is not about the session: the shared-link page shows its form.
    if (err.status === 401 && session.user && !err.template.startsWith('/shared-links/')) {
      session.user = null;
      navigate(`/auth/login?continue=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
    }
  });
  window.addEventListener('app:navigate', (e) => navigate(/** @type {CustomEvent} */ (e).detail));
  installKeyboard();
  shortcut('/', 'Search', () => document.getElementById('search-box')?.focus());
  shortcut('u', 'Upload files', async () => { if (session.user) (await import('./upload.js')).pickFiles(); });
  installDropZone(() => Boolean(session.user));
  await startRouter();
}

boot().catch((err) => {
  console.error(err);
  const app = document.getElementById('app');
  if (app) replace(app, h('div.error-page', { role: 'alert' }, h('h1', null, 'Cannot reach the server'), h('p', null, String(err?.message || err))));
});
