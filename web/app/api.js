// The public REST API, and nothing else. Every call names its path as a literal OpenAPI
// template ('/assets/{id}'), so tests/web/test_web_api_paths.py can check each one against
// /api/spec.json. Errors surface Immich's `message`.

/** An API answer that was not 2xx: `message` is Immich's (joined when it is a list). */
export class ApiError extends Error {
  /** @param {number} status @param {string} message @param {any} body @param {string} [template] the call's path template ('/assets/{id}') */
  constructor(status, message, body, template = '') {
    super(message);
    this.status = status;
    this.body = body;
    this.template = template;
  }
}

/**
 * @typedef {Object} CallOptions
 * @property {Record<string, string>} [path]   values for the `{name}` parts of the template
 * @property {Record<string, any>} [query]     query parameters (undefined/null are left out; arrays repeat)
 * @property {any} [body]                      JSON body, or a FormData / Blob sent as is
 * @property {AbortSignal} [signal]
 * @property {'json'|'blob'|'text'|'response'} [as]  what to return (default: JSON, or null for 204)
 */

/**
 * The URL of an API path: '/assets/{id}/thumbnail' + {id} -> '/api/assets/<id>/thumbnail?...'.
 * @param {string} template @param {Record<string, string>} [path] @param {Record<string, any>} [query]
 */
export function url(template, path = {}, query = undefined) {
  const filled = template.replace(/\{(\w+)\}/g, (_, name) => {
    if (path[name] === undefined) throw new Error(`api: no value for {${name}} in ${template}`);
    return encodeURIComponent(path[name]);
  });
  let out = '/api' + filled;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null) continue;
      for (const one of Array.isArray(v) ? v : [v]) q.append(k, String(one));
    }
    const s = q.toString();
    if (s) out += '?' + s;
  }
  return out;
}

/** @param {string} method @param {string} template @param {CallOptions} [opts] */
export async function call(method, template, opts = {}) {
  const headers = { Accept: 'application/json' };
  let body = opts.body;
  if (body !== undefined && !(body instanceof FormData) && !(body instanceof Blob)) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(body);
  }
  const res = await fetch(url(template, opts.path, opts.query), {
    method, headers, body, signal: opts.signal, credentials: 'same-origin',
  });
  if (!res.ok) {
    let data = null;
    try { data = await res.json(); } catch { /* not JSON */ }
    const msg = data?.message;
    const text = Array.isArray(msg) ? msg.join(', ') : (msg || res.statusText || `HTTP ${res.status}`);
    const err = new ApiError(res.status, text, data, template);
    for (const fn of errorListeners) fn(err);
    throw err;
  }
  if (opts.as === 'response') return res;
  if (opts.as === 'blob') return res.blob();
  if (opts.as === 'text') return res.text();
  if (res.status === 204) return null;
  const type = res.headers.get('content-type') || '';
  return type.includes('json') ? res.json() : res.text();
}

/** @type {Set<(e: ApiError) => void>} */
const errorListeners = new Set();
/** Called for every failed call (main.js sends 401s to the login page). */
export function onError(/** @type {(e: ApiError) => void} */ fn) {
  errorListeners.add(fn);
  return () => errorListeners.delete(fn);
}

/** @param {string} t @param {CallOptions} [o] */ export const get = (t, o) => call('GET', t, o);
/** @param {string} t @param {CallOptions} [o] */ export const post = (t, o) => call('POST', t, o);
/** @param {string} t @param {CallOptions} [o] */ export const put = (t, o) => call('PUT', t, o);
/** @param {string} t @param {CallOptions} [o] */ export const patch = (t, o) => call('PATCH', t, o);
/** @param {string} t @param {CallOptions} [o] */ export const del = (t, o) => call('DELETE', t, o);

/**
 * A request with upload progress (fetch has none): XMLHttpRequest, JSON answer.
 * @param {string} template @param {FormData} form
 * @param {{path?: Record<string,string>, onProgress?: (loaded: number, total: number) => void, signal?: AbortSignal}} [opts]
 * @returns {Promise<{status: number, body: any}>}
 */
export function upload(template, form, opts = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url(template, opts.path));
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => opts.onProgress?.(e.loaded, e.total);
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* empty */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve({ status: xhr.status, body });
      else {
        const msg = body?.message;
        reject(new ApiError(xhr.status, Array.isArray(msg) ? msg.join(', ') : (msg || `HTTP ${xhr.status}`), body));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'Network error', null));
    xhr.onabort = () => reject(new DOMException('Aborted', 'AbortError'));
    opts.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(form);
  });
}
