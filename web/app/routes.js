// The one table of screens. Each `view` is a lazy import of a module under ./views/ whose
// default export is `async function view(ctx) -> {el, destroy?}` (docs/web.md: the view contract).

/**
 * @typedef {Object} Route
 * @property {string} path          '/photos/:id' style; ':name' binds ctx.params.name, '*rest' the remainder
 * @property {() => Promise<{default: Function}>} view
 * @property {string} [title]
 * @property {'user'|'admin'|'public'|'guest'} [access]  default 'user' (logged in); 'guest': only logged out
 * @property {boolean} [bare]       no side nav and top bar (login, onboarding, viewer, share pages)
 * @property {{label: string, icon: string, group?: 'library'|'admin'}} [nav]
 */

/** @type {Route[]} */
export const ROUTES = [
  { path: '/auth/register', view: () => import('./views/register.js'), title: 'Welcome', access: 'public', bare: true },
  { path: '/auth/login', view: () => import('./views/login.js'), title: 'Log in', access: 'public', bare: true },
  { path: '/photos', view: () => import('./views/timeline.js'), title: 'Photos', nav: { label: 'Photos', icon: 'photos' } },
  { path: '/photos/:id', view: () => import('./views/viewer.js'), title: 'Photo', bare: true },
  { path: '/search', view: () => import('./views/search.js'), title: 'Search' },
  { path: '/explore', view: () => import('./views/explore.js'), title: 'Explore', nav: { label: 'Explore', icon: 'explore' } },
  { path: '/map', view: () => import('./views/map.js'), title: 'Map', nav: { label: 'Map', icon: 'map' } },
  { path: '/memory', view: () => import('./views/memories.js'), title: 'Memories', nav: { label: 'Memories', icon: 'memories' } },
  { path: '/sharing', view: () => import('./views/sharing.js'), title: 'Sharing', nav: { label: 'Sharing', icon: 'sharing' } },
  { path: '/partners/:id', view: () => import('./views/partner.js'), title: 'Partner' },
  { path: '/albums', view: () => import('./views/albums.js'), title: 'Albums', nav: { label: 'Albums', icon: 'albums', group: 'library' } },
  { path: '/albums/:id', view: () => import('./views/album.js'), title: 'Album' },
  { path: '/favorites', view: () => import('./views/favorites.js'), title: 'Favorites', nav: { label: 'Favorites', icon: 'favorite', group: 'library' } },
  { path: '/archive', view: () => import('./views/archive.js'), title: 'Archive', nav: { label: 'Archive', icon: 'archive', group: 'library' } },
  { path: '/locked', view: () => import('./views/locked.js'), title: 'Locked folder', nav: { label: 'Locked folder', icon: 'locked', group: 'library' } },
  { path: '/trash', view: () => import('./views/trash.js'), title: 'Trash', nav: { label: 'Trash', icon: 'trash', group: 'library' } },
  { path: '/share/:key', view: () => import('./views/shared-link.js'), title: 'Shared', access: 'public', bare: true },
  { path: '/s/:slug', view: () => import('./views/shared-link.js'), title: 'Shared', access: 'public', bare: true },
  { path: '/user-settings', view: () => import('./views/user-settings.js'), title: 'Account settings' },
  { path: '/admin/users', view: () => import('./views/admin-users.js'), title: 'Users', access: 'admin', nav: { label: 'Users', icon: 'user', group: 'admin' } },
  { path: '/admin/jobs-status', view: () => import('./views/admin-jobs.js'), title: 'Jobs', access: 'admin', nav: { label: 'Jobs', icon: 'admin', group: 'admin' } },
  { path: '/admin/system-settings', view: () => import('./views/admin-settings.js'), title: 'Settings', access: 'admin', nav: { label: 'Settings', icon: 'settings', group: 'admin' } },
  { path: '/admin/server-status', view: () => import('./views/admin-server.js'), title: 'Server stats', access: 'admin', nav: { label: 'Server stats', icon: 'info', group: 'admin' } },
  { path: '*rest', view: () => import('./views/not-found.js'), title: 'Not found', access: 'public' },
];

/**
 * The route for a path and its params.
 * @param {string} pathname
 * @returns {{route: Route, params: Record<string, string>}}
 */
export function match(pathname) {
  const parts = pathname.replace(/\/+$/, '').split('/').filter(Boolean);
  for (const route of ROUTES) {
    const want = route.path.split('/').filter(Boolean);
    /** @type {Record<string, string>} */
    const params = {};
    let ok = true;
    for (let i = 0; i < want.length; i++) {
      const w = want[i];
      if (w.startsWith('*')) { params[w.slice(1)] = parts.slice(i).map(decodeURIComponent).join('/'); i = parts.length; break; }
      if (i >= parts.length) { ok = false; break; }
      if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(parts[i]);
      else if (w !== parts[i]) { ok = false; break; }
    }
    if (ok && (want.some((w) => w.startsWith('*')) || want.length === parts.length)) return { route, params };
  }
  throw new Error('no route'); // unreachable: '*rest' matches everything
}
