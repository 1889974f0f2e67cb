// Create or edit a shared link (POST /shared-links, PATCH /shared-links/{id}): description,
// password, custom URL (slug), expiry, and what visitors may do (upload, download, see metadata).
// After creating, shows the link's address with a Copy button.
import * as api from '../api.js';
import { h } from '../dom.js';
import { modal } from '../ui/modal.js';
import { toast, toastError } from '../ui/toast.js';
import { copy, shareUrl } from './cards.js';

const EXPIRY = [
  ['', 'Never'], ['1800', '30 minutes'], ['3600', '1 hour'], ['21600', '6 hours'], ['86400', '1 day'],
  ['604800', '7 days'], ['2592000', '30 days'], ['7776000', '3 months'], ['31536000', '1 year'],
];

/**
 * @param {{albumId?: string, assetIds?: string[], link?: any, config?: any}} what
 *   an album or assets to share (new link), or an existing link to edit
 * @returns {Promise<any | null>} the saved link, or null when cancelled
 */
export async function editLink(what) {
  const link = what.link;
  const field = (/** @type {string} */ name, /** @type {Record<string, any>} */ attrs) => h('input', { name, ...attrs });
  const description = /** @type {HTMLInputElement} */ (field('description', { type: 'text', value: link?.description || '' }));
  const password = /** @type {HTMLInputElement} */ (field('password', { type: 'password', value: link?.password || '', autocomplete: 'new-password' }));
  const slug = /** @type {HTMLInputElement} */ (field('slug', { type: 'text', value: link?.slug || '', pattern: '[A-Za-z0-9_-]*', placeholder: 'optional' }));
  const expiry = /** @type {HTMLSelectElement} */ (h('select', { name: 'expiresIn' },
    link?.expiresAt ? h('option', { value: 'keep' }, `Keep: ${new Date(link.expiresAt).toLocaleString()}`) : null,
    EXPIRY.map(([v, t]) => h('option', { value: v }, t))));
  const check = (/** @type {string} */ name, /** @type {boolean} */ on) => /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', name, checked: on }));
  const allowUpload = check('allowUpload', link?.allowUpload ?? false);
  const allowDownload = check('allowDownload', link?.allowDownload ?? true);
  const showMetadata = check('showMetadata', link?.showMetadata ?? true);
  allowDownload.addEventListener('change', () => { if (!allowDownload.checked) showMetadata.checked = false; });
  const error = h('p.form-error', { role: 'alert', hidden: true });

  const saved = await modal(link ? 'Edit shared link' : 'Create shared link', (close) => h('form.link-form', {
    onsubmit: async (/** @type {Event} */ e) => {
      e.preventDefault();
      error.hidden = true;
      /** @type {Record<string, any>} */
      const body = {
        description: description.value || null,
        password: password.value || null,
        slug: slug.value.trim() || null,
        allowUpload: allowUpload.checked,
        allowDownload: allowDownload.checked,
        showMetadata: showMetadata.checked,
      };
      if (expiry.value !== 'keep') body.expiresAt = expiry.value ? new Date(Date.now() + Number(expiry.value) * 1000).toISOString() : null;
      try {
        const out = link
          ? await api.patch('/shared-links/{id}', { path: { id: link.id }, body })
          : await api.post('/shared-links', { body: what.albumId
            ? { ...body, type: 'ALBUM', albumId: what.albumId }
            : { ...body, type: 'INDIVIDUAL', assetIds: what.assetIds || [] } });
        close(out);
      } catch (err) {
        error.textContent = /** @type {any} */ (err).message;
        error.hidden = false;
      }
    },
  },
  h('label', null, 'Description', description),
  h('label', null, 'Password', password),
  h('label', null, 'Custom URL', slug),
  h('label', null, 'Expires', expiry),
  h('label.check', null, allowUpload, 'Allow public user to upload'),
  h('label.check', null, allowDownload, 'Allow public user to download'),
  h('label.check', null, showMetadata, 'Show metadata'),
  error,
  h('div.actions', null,
    h('button', { type: 'button', onclick: () => close(null) }, 'Cancel'),
    h('button.primary#save-link', { type: 'submit' }, link ? 'Save' : 'Create link'))));
  if (!saved) return null;
  if (link) {
    toast('Shared link saved', { kind: 'success' });
    return saved;
  }
  await showLink(saved, what.config);
  return saved;
}

/** The new link's address, to copy. @param {any} link @param {any} [config] */
export async function showLink(link, config) {
  const url = shareUrl(link, config);
  await modal('Shared link', (close) => [
    h('p', null, 'Anyone with this link can see what it shares', link.password ? ' once they enter the password.' : '.'),
    h('div.link-row', null,
      h('input#shared-link-url', { type: 'text', readonly: true, value: url, 'aria-label': 'Link', onfocus: (/** @type {Event} */ e) => /** @type {HTMLInputElement} */ (e.target).select() }),
      h('button', { type: 'button', onclick: () => copy(url) }, 'Copy')),
    h('div.actions', null, h('button.primary', { type: 'button', onclick: () => close(true) }, 'Done')),
  ]);
}

/** Delete a link after asking. @param {any} link @returns {Promise<boolean>} */
export async function deleteLink(link) {
  const { confirm } = await import('../ui/modal.js');
  if (!await confirm('Delete this shared link? Visitors will no longer be able to open it.', { title: 'Delete shared link', ok: 'Delete', danger: true })) return false;
  try {
    await api.del('/shared-links/{id}', { path: { id: link.id } });
    toast('Shared link deleted');
    return true;
  } catch (err) {
    toastError(err);
    return false;
  }
}
