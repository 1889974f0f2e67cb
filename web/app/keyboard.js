// Keyboard shortcuts: one registry, a help overlay on '?'. Views add theirs through
// ctx.shortcut(...), removed when the view leaves. Keys are KeyboardEvent.key values with
// modifiers first: 'ArrowLeft', 'Shift+a', 'Ctrl+Delete', '?'.
import { h } from './dom.js';
import { modal } from './ui/modal.js';

/** @typedef {{key: string, description: string, run: (e: KeyboardEvent) => void}} Shortcut */

/** @type {Shortcut[]} */
const shortcuts = [];

/**
 * Register a shortcut; returns the unregister function. Later registrations win.
 * @param {string} key @param {string} description @param {(e: KeyboardEvent) => void} run
 */
export function shortcut(key, description, run) {
  const item = { key, description, run };
  shortcuts.push(item);
  return () => {
    const i = shortcuts.indexOf(item);
    if (i >= 0) shortcuts.splice(i, 1);
  };
}

/** 'Ctrl+Delete' for a keydown event (Meta counts as Ctrl, for macOS). */
export function keyName(/** @type {KeyboardEvent} */ e) {
  const mods = [];
  if (e.ctrlKey || e.metaKey) mods.push('Ctrl');
  if (e.altKey) mods.push('Alt');
  // Shift is part of printable keys already ('?', 'A'); name it only for the others
  if (e.shiftKey && e.key.length > 1) mods.push('Shift');
  return [...mods, e.key].join('+');
}

function typing(/** @type {EventTarget | null} */ target) {
  const el = /** @type {HTMLElement | null} */ (target);
  return Boolean(el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)));
}

export function showHelp() {
  const seen = new Set();
  const rows = [];
  for (const s of [...shortcuts].reverse()) {
    if (seen.has(s.key)) continue;
    seen.add(s.key);
    rows.push(h('tr', null, h('td', null, h('kbd', null, s.key)), h('td', null, s.description)));
  }
  return modal('Keyboard shortcuts', (close) => [
    h('table.shortcuts', null, h('tbody', null, rows.reverse())),
    h('div.actions', null, h('button.primary', { type: 'button', onclick: () => close() }, 'Close')),
  ]);
}

/** Install the one keydown listener (main.js). */
export function installKeyboard() {
  shortcut('?', 'Show keyboard shortcuts', () => showHelp());
  document.addEventListener('keydown', (e) => {
    if (typing(e.target) || document.querySelector('dialog[open]')) return;
    const name = keyName(e);
    for (let i = shortcuts.length - 1; i >= 0; i--) {
      if (shortcuts[i].key === name) {
        e.preventDefault();
        shortcuts[i].run(e);
        return;
      }
    }
  });
}
