// History API router: matches the path against routes.js, checks access, builds the view's
// context, mounts the view (in the layout, or bare), and destroys the previous one.
import { match } from './routes.js';
import { session } from './session.js';
import * as socket from './socket.js';
import { shortcut } from './keyboard.js';
import { layout } from './layout.js';
import { h, replace } from './dom.js';

/**
 * The context every view gets (docs/web.md: the view contract).
 * @typedef {Object} ViewContext
 * @property {Record<string, string>} params      from the route's ':name' parts
 * @property {URLSearchParams} query
 * @property {string} path                        the current pathname
 * @property {any} user                           the logged-in user (UserAdminResponseDto) or null
 * @property {{config: any, features: any}} server GET /server/config and /server/features
 * @property {(to: string, opts?: {replace?: boolean}) => void} navigate
 * @property {(event: string, fn: (...args: any[]) => void) => void} on   a socket event, until the view leaves
 * @property {(key: string, description: string, run: (e: KeyboardEvent) => void) => void} shortcut  until the view leaves
 * @property {AbortSignal} signal                 aborted when the view leaves (pass to api calls)
 * @property {(title: string) => void} setTitle
 */

/** @typedef {{el: HTMLElement, destroy?: () => void}} View */

/** @type {{view: View | null, cleanups: Function[], abort: AbortController | null}} */
const current = { view: null, cleanups: [], abort: null };
let renderCount = 0;
/** The path shown before this one, in this tab ('' on a fresh load): lets a viewer go "back". */
let previous = '';
let shown = '';
export const previousPath = () => previous;

/** Go to a path (pushState) and render it. */
export function navigate(/** @type {string} */ to, opts = {}) {
  if (to === location.pathname + location.search && !opts.replace) return;
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  render();
}

function leave() {
  current.abort?.abort();
  for (const fn of current.cleanups.splice(0)) { try { fn(); } catch (e) { console.error(e); } }
  try { current.view?.destroy?.(); } catch (e) { console.error(e); }
  current.view = null;
}

/** Render the current location. */
export async function render() {
  const mine = ++renderCount;
  const path = location.pathname;
  const { route, params } = match(path);
  const access = route.access || 'user';
  if (!session.config.isInitialized && route.path !== '/auth/register') return navigate('/auth/register', { replace: true });
  if (path === '/' || path === '') return navigate(session.user ? '/photos' : '/auth/login', { replace: true });
  if ((access === 'user' || access === 'admin') && !session.user) {
    return navigate(`/auth/login?continue=${encodeURIComponent(path + location.search)}`, { replace: true });
  }
  if (access === 'admin' && !session.user?.isAdmin) return navigate('/photos', { replace: true });

  leave();
  if (path !== shown) { previous = shown; shown = path; }
  const abort = new AbortController();
  current.abort = abort;
  /** @type {Function[]} */
  const cleanups = current.cleanups;
  /** @type {ViewContext} */
  const ctx = {
    params,
    query: new URLSearchParams(location.search),
    path,
    user: session.user,
    server: { config: session.config, features: session.features },
    navigate,
    on: (event, fn) => { cleanups.push(socket.on(event, fn)); },
    shortcut: (key, description, run) => { cleanups.push(shortcut(key, description, run)); },
    signal: abort.signal,
    setTitle: (title) => { document.title = `${title} - Immich`; },
  };
  ctx.setTitle(route.title || 'Immich');
  const outlet = layout(route, path);
  outlet.setAttribute('aria-busy', 'true');
  try {
    const module = await route.view();
    if (mine !== renderCount) return;
    const view = await module.default(ctx);
    if (mine !== renderCount) { view.destroy?.(); return; }
    current.view = view;
    replace(outlet, view.el);
  } catch (err) {
    if (mine !== renderCount || /** @type {any} */ (err)?.name === 'AbortError') return;
    console.error(err);
    replace(outlet, h('div.error-page', { role: 'alert' }, h('h1', null, 'Something went wrong'), h('p', null, String(/** @type {any} */ (err)?.message || err))));
  } finally {
    outlet.removeAttribute('aria-busy');
  }
}

/** Follow same-origin links without a reload; react to back/forward. */
export function startRouter() {
  window.addEventListener('popstate', () => render());
  document.addEventListener('click', (e) => {
    const a = /** @type {HTMLElement} */ (e.target)?.closest?.('a[href]');
    if (!(a instanceof HTMLAnchorElement) || e.defaultPrevented || e.button !== 0) return;
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || a.target || a.hasAttribute('download')) return;
    const to = new URL(a.href);
    if (to.origin !== location.origin || to.pathname.startsWith('/api/')) return;
    e.preventDefault();
    navigate(to.pathname + to.search);
  });
  return render();
}
