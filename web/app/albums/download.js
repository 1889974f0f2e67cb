// Downloads for the album and shared-link screens: one asset as its original file, several (or
// a whole album) as zip archives (POST /download/info, then /download/archive per archive).
// `share` ({key} or {slug}) lets a shared link's visitor download what the link allows.
import * as api from '../api.js';
import { toast, toastError } from '../ui/toast.js';

/**
 * @param {{assetIds?: string[], albumId?: string}} what
 * @param {Record<string, string>} [share]
 */
export async function download(what, share = undefined) {
  try {
    if (what.assetIds?.length === 1) {
      save(api.url('/assets/{id}/original', { id: what.assetIds[0] }, share), '');
      return;
    }
    const info = await api.post('/download/info', { query: share, body: what });
    for (const [i, archive] of info.archives.entries()) {
      toast(`Preparing archive ${i + 1} of ${info.archives.length}…`);
      const blob = await api.post('/download/archive', { query: share, body: { assetIds: archive.assetIds }, as: 'blob' });
      const href = URL.createObjectURL(blob);
      save(href, `immich-${new Date().toISOString().slice(0, 10)}${info.archives.length > 1 ? `-${i + 1}` : ''}.zip`);
      setTimeout(() => URL.revokeObjectURL(href), 60_000);
    }
  } catch (err) {
    toastError(err);
  }
}

/** @param {string} href @param {string} name */
function save(href, name) {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
}
