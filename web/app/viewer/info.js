// The viewer's info panel: date, file, camera and exposure (EXIF), place with a map link, albums.
import * as api from '../api.js';
import { h, formatBytes } from '../dom.js';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

/** @param {any} asset AssetResponseDto @param {AbortSignal} signal */
export function infoPanel(asset, signal) {
  const e = asset.exifInfo || {};
  const when = e.dateTimeOriginal || asset.localDateTime || asset.fileCreatedAt;
  const width = e.exifImageWidth || asset.width;
  const height = e.exifImageHeight || asset.height;
  const camera = [e.make, e.model].filter(Boolean).join(' ');
  const exposure = [
    e.fNumber ? `ƒ/${e.fNumber}` : '',
    e.exposureTime ? `${e.exposureTime} s` : '',
    e.focalLength ? `${e.focalLength} mm` : '',
    e.iso ? `ISO ${e.iso}` : '',
  ].filter(Boolean).join(' · ');
  const place = [e.city, e.state, e.country].filter(Boolean).join(', ');
  const hasGps = typeof e.latitude === 'number' && typeof e.longitude === 'number';
  const albums = h('ul.info-albums');
  const row = (/** @type {string} */ label, /** @type {any} */ value) => value ? h('div.info-row', null, h('dt', null, label), h('dd', null, value)) : null;
  const panel = h('aside.info-panel#info-panel', { 'aria-label': 'Info' },
    h('h2', null, 'Info'),
    e.description ? h('p.description', null, e.description) : null,
    h('dl', null,
      row('Date', when ? dateFormat.format(new Date(when)) : ''),
      row('File', [asset.originalFileName, width && height ? `${width} × ${height}` : '', e.fileSizeInByte ? formatBytes(e.fileSizeInByte) : ''].filter(Boolean).join(' · ')),
      row('Camera', [camera, e.lensModel].filter(Boolean).join(' · ')),
      row('Exposure', exposure),
      row('Place', place),
      hasGps ? row('Position', h('a', { href: `/map?lat=${e.latitude}&lng=${e.longitude}&zoom=12` }, `${e.latitude.toFixed(5)}, ${e.longitude.toFixed(5)}`)) : null),
    h('h3', null, 'Albums'),
    albums);
  api.get('/albums', { query: { assetId: asset.id }, signal }).then((list) => {
    if (!list.length) albums.append(h('li.muted', null, 'In no album'));
    for (const a of list) albums.append(h('li', null, h('a', { href: `/albums/${a.id}` }, a.albumName)));
  }).catch(() => {});
  return panel;
}
