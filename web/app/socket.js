// Live events: one socket.io connection (vendored client) at /api/socket.io, opened when a user
// is logged in. Views subscribe through ctx.on(event, fn), which unsubscribes when they leave.
import { io } from '../vendor/socket.io-client/socket.io.esm.min.js';

/** @type {any} */
let socket = null;
/** @type {Map<string, Set<Function>>} */
const handlers = new Map();

/** Connect (idempotent). The session cookie authenticates, as on REST. */
export function connect() {
  if (socket) return socket;
  socket = io({ path: '/api/socket.io', transports: ['websocket', 'polling'], reconnection: true });
  socket.onAny((/** @type {string} */ event, /** @type {any[]} */ ...args) => deliver(event, args));
  // events sent while the connection was down are lost: 'reconnect' tells views to refresh
  let connectedBefore = false;
  socket.on('connect', () => {
    if (connectedBefore) deliver('reconnect', []);
    connectedBefore = true;
  });
  return socket;
}

/** @param {string} event @param {any[]} args */
function deliver(event, args) {
  for (const fn of handlers.get(event) || []) {
    try { fn(...args); } catch (e) { console.error(e); }
  }
}

export function disconnect() {
  socket?.disconnect();
  socket = null;
}

/** Whether the socket is connected now. */
export const connected = () => Boolean(socket?.connected);

/**
 * Subscribe to an event ('on_upload_success', 'on_asset_delete', ...). Returns the unsubscriber.
 * @param {string} event @param {(...args: any[]) => void} fn
 */
export function on(event, fn) {
  if (!handlers.has(event)) handlers.set(event, new Set());
  handlers.get(event)?.add(fn);
  return () => handlers.get(event)?.delete(fn);
}
