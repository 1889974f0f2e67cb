// Upload: the file picker and drag-and-drop anywhere on the page, to POST /assets two at a
// time, with a panel showing each file's progress, the total, and duplicates. New assets reach
// the timelines through the socket's on_upload_success, as on every other device.
import * as api from './api.js';
import { h, formatBytes, replace } from './dom.js';
import { toast } from './ui/toast.js';

const CONCURRENCY = 2;
const ACCEPT = 'image/*,video/*,.heic,.heif,.dng,.cr2,.cr3,.nef,.arw,.raf,.orf,.rw2,.jxl,.avif,.mts,.m2ts,.mkv,.3gp,.insp';

/** @typedef {{file: File, row: HTMLElement, bar: HTMLProgressElement, status: HTMLElement, loaded: number, state: 'queued'|'uploading'|'created'|'duplicate'|'error'}} Item */

/** @type {Item[]} */
let items = [];
let running = 0;
/** @type {HTMLElement | null} */
let panel = null;
const summary = h('div.upload-summary');
const total = /** @type {HTMLProgressElement} */ (h('progress.upload-total', { max: 1, value: 0, 'aria-label': 'Total upload progress' }));
const list = h('ul.upload-list');

/** Open the file picker. */
export function pickFiles() {
  const input = /** @type {HTMLInputElement} */ (h('input', { type: 'file', multiple: true, accept: ACCEPT, hidden: true }));
  input.addEventListener('change', () => { uploadFiles([...(input.files || [])]); input.remove(); });
  document.body.append(input);
  input.click();
}

/** Queue files for upload. @param {File[]} files */
export function uploadFiles(files) {
  if (!files.length) return;
  showPanel();
  for (const file of files) {
    const bar = /** @type {HTMLProgressElement} */ (h('progress', { max: file.size || 1, value: 0, 'aria-label': `${file.name} progress` }));
    const status = h('span.upload-status', null, 'Waiting');
    const row = h('li.upload-item', { dataset: { name: file.name } }, h('span.upload-name', { title: file.name }, file.name), h('span.upload-size', null, formatBytes(file.size)), bar, status);
    list.append(row);
    items.push({ file, row, bar, status, loaded: 0, state: 'queued' });
  }
  refresh();
  pump();
}

function pump() {
  while (running < CONCURRENCY) {
    const next = items.find((i) => i.state === 'queued');
    if (!next) break;
    running++;
    send(next).finally(() => { running--; refresh(); pump(); });
  }
}

/** @param {Item} item */
async function send(item) {
  item.state = 'uploading';
  item.status.textContent = 'Uploading';
  const { file } = item;
  const when = new Date(file.lastModified || Date.now()).toISOString();
  const form = new FormData();
  form.append('fileCreatedAt', when);
  form.append('fileModifiedAt', when);
  form.append('filename', file.name);
  form.append('assetData', file, file.name);
  try {
    const { body } = await api.upload('/assets', form, {
      onProgress: (loaded) => { item.loaded = loaded; item.bar.value = loaded; refresh(); },
    });
    item.state = body?.status === 'duplicate' ? 'duplicate' : 'created';
    item.status.textContent = item.state === 'duplicate' ? 'Duplicate' : 'Done';
    item.row.dataset.assetId = body?.id || '';
  } catch (err) {
    item.state = 'error';
    item.status.textContent = /** @type {any} */ (err).message || 'Failed';
  }
  item.loaded = file.size;
  item.bar.value = file.size || 1;
  item.row.classList.add(item.state);
}

function refresh() {
  const size = items.reduce((s, i) => s + (i.file.size || 1), 0);
  const done = items.reduce((s, i) => s + Math.min(i.loaded, i.file.size || 1), 0);
  total.max = size || 1;
  total.value = done;
  const count = (/** @type {Item['state']} */ s) => items.filter((i) => i.state === s).length;
  const finished = items.length - count('queued') - count('uploading');
  const parts = [`${finished} of ${items.length}`, `${Math.round((done / (size || 1)) * 100)}%`];
  if (count('duplicate')) parts.push(`${count('duplicate')} duplicate${count('duplicate') > 1 ? 's' : ''}`);
  if (count('error')) parts.push(`${count('error')} failed`);
  summary.textContent = parts.join(' · ');
  if (panel) panel.classList.toggle('finished', finished === items.length);
  if (finished === items.length && items.length) {
    const dup = count('duplicate');
    toast(`Uploaded ${count('created')}${dup ? `, ${dup} duplicate${dup > 1 ? 's' : ''} skipped` : ''}`, { kind: count('error') ? 'error' : 'success' });
  }
}

function showPanel() {
  if (panel?.isConnected) return;
  panel = h('section.upload-panel#upload-panel', { 'aria-label': 'Uploads' },
    h('header', null, h('strong', null, 'Upload'), summary,
      h('button.icon-button', { type: 'button', 'aria-label': 'Close', onclick: () => {
        if (running) return;
        items = [];
        replace(list);
        panel?.remove();
      } }, '×')),
    total, list);
  document.body.append(panel);
}

/** Drag files anywhere onto the page to upload them, while `allowed()` (logged in).
 * @param {() => boolean} allowed */
export function installDropZone(allowed) {
  const overlay = h('div.drop-overlay', { hidden: true }, h('div', null, 'Drop files to upload'));
  document.body.append(overlay);
  let depth = 0;
  const hasFiles = (/** @type {DragEvent} */ e) => allowed() && [...(e.dataTransfer?.types || [])].includes('Files');
  document.addEventListener('dragenter', (e) => { if (hasFiles(e)) { depth++; overlay.hidden = false; } });
  document.addEventListener('dragleave', () => { if (--depth <= 0) { depth = 0; overlay.hidden = true; } });
  document.addEventListener('dragover', (e) => { if (hasFiles(e)) e.preventDefault(); });
  document.addEventListener('drop', (e) => {
    depth = 0;
    overlay.hidden = true;
    const files = [...(e.dataTransfer?.files || [])];
    if (!files.length || !allowed()) return;
    e.preventDefault();
    uploadFiles(files);
  });
}
