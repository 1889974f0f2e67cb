// The frame around the screens: top bar (menu, search, upload, account) and side nav, built once
// and kept while moving between screens; 'bare' routes (login, viewer, share pages) get the
// whole window instead. Returns the element the view goes into.
import { h, icon, replace } from './dom.js';
import { ROUTES } from './routes.js';
import { ICONS } from './icons.js';
import { session, logout } from './session.js';
import * as socket from './socket.js';

/** @type {{shell: HTMLElement, main: HTMLElement, nav: HTMLElement} | null} */
let frame = null;

/**
 * @param {import('./routes.js').Route} route @param {string} path
 * @returns {HTMLElement} the outlet
 */
export function layout(route, path) {
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));
  if (route.bare || !session.user) {
    frame = null;
    const outlet = h('main.bare#main', { tabindex: '-1' });
    replace(app, outlet);
    return outlet;
  }
  if (!frame || !frame.shell.isConnected) {
    frame = build();
    replace(app, frame.shell);
  }
  for (const a of frame.nav.querySelectorAll('a')) {
    const href = a.getAttribute('href') || '';
    const here = path === href || path.startsWith(href + '/');
    a.classList.toggle('active', here);
    if (here) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  frame.shell.classList.remove('nav-open');
  const outlet = h('div.view');
  replace(frame.main, outlet);
  return outlet;
}

function navLinks() {
  const groups = { main: [], library: [], admin: [] };
  for (const r of ROUTES) {
    if (!r.nav) continue;
    if (r.access === 'admin' && !session.user?.isAdmin) continue;
    /** @type {any[]} */ (groups[r.nav.group || 'main']).push(
      h('a', { href: r.path }, icon(ICONS[/** @type {keyof ICONS} */ (r.nav.icon)]), h('span', null, r.nav.label)));
  }
  return [
    ...groups.main,
    h('h3', null, 'Library'), ...groups.library,
    groups.admin.length ? [h('h3', null, 'Administration'), ...groups.admin] : null,
  ];
}

function build() {
  const nav = h('nav.sidenav', { 'aria-label': 'Main' }, navLinks());
  // a link closes the phone drawer, even one to the screen already shown
  nav.addEventListener('click', (e) => {
    if (/** @type {HTMLElement} */ (e.target).closest('a')) shell.classList.remove('nav-open');
  });
  const main = h('main#main', { tabindex: '-1' });
  const search = /** @type {HTMLInputElement} */ (h('input#search-box', {
    type: 'search', name: 'query', placeholder: 'Search your photos', 'aria-label': 'Search', autocomplete: 'off',
  }));
  const user = session.user;
  const initials = (user?.name || user?.email || '?').split(/\s+/).map((/** @type {string} */ w) => w[0]).join('').slice(0, 2).toUpperCase();
  const menu = h('div.menu#account-menu', { hidden: true, role: 'menu' },
    h('div.who', null, h('strong', null, user?.name || ''), h('div', null, user?.email || '')),
    h('a', { href: '/user-settings', role: 'menuitem' }, icon(ICONS.settings), 'Account settings'),
    user?.isAdmin ? h('a', { href: '/admin/users', role: 'menuitem' }, icon(ICONS.admin), 'Administration') : null,
    h('button#logout', { type: 'button', role: 'menuitem', onclick: async () => {
      await logout().catch(() => {});
      socket.disconnect();
      location.assign('/auth/login');
    } }, icon(ICONS.logout), 'Sign out'));
  const account = h('button.avatar#account', {
    type: 'button', 'aria-haspopup': 'menu', 'aria-label': 'Account', title: user?.email || '',
    onclick: () => { menu.hidden = !menu.hidden; },
  }, initials);
  document.addEventListener('click', (e) => {
    if (!menu.hidden && !menu.contains(/** @type {Node} */ (e.target)) && e.target !== account) menu.hidden = true;
  });
  const shell = h('div.shell', null,
    h('header.topbar', null,
      h('button.icon-button.menu-toggle', { type: 'button', 'aria-label': 'Menu', onclick: () => shell.classList.toggle('nav-open') }, icon(ICONS.menu)),
      h('a.brand', { href: '/photos' }, 'immich'),
      h('form.search', { role: 'search', onsubmit: (/** @type {Event} */ e) => {
        e.preventDefault();
        const q = search.value.trim();
        if (q) window.dispatchEvent(new CustomEvent('app:navigate', { detail: `/search?query=${encodeURIComponent(q)}` }));
      } }, icon(ICONS.search), search),
      h('button.upload-button#upload-button', { type: 'button', title: 'Upload (u)', onclick: async () => (await import('./upload.js')).pickFiles() },
        icon(ICONS.upload), h('span', null, 'Upload')),
      h('div.account', null, account, menu)),
    nav,
    main);
  return { shell, main, nav };
}
