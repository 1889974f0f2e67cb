// Explore: the places in the library (GET /search/cities: one cover asset per city), each a
// link to the search for that city, plus quick ways in (videos, favorites, the map).
import * as api from '../api.js';
import { h, icon } from '../dom.js';
import { ICONS } from '../icons.js';
import { searchHref } from '../finding/filters.js';
import { hashUrl } from '../finding/results.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const cities = await api.get('/search/cities', { signal: ctx.signal });
  const places = cities
    .filter((/** @type {any} */ a) => a.exifInfo?.city)
    .sort((/** @type {any} */ a, /** @type {any} */ b) => a.exifInfo.city.localeCompare(b.exifInfo.city));

  const card = (/** @type {any} */ a) => {
    const { city, state, country } = a.exifInfo;
    const ph = hashUrl(a.thumbhash);
    return h('li', null, h('a.place-card', {
      href: searchHref({ city, ...(country ? { country } : {}) }),
      title: [city, state, country].filter(Boolean).join(', '),
      style: { backgroundImage: ph ? `url("${ph}")` : '' },
    },
    h('img', { alt: `Photo taken in ${city}`, loading: 'lazy', src: api.url('/assets/{id}/thumbnail', { id: a.id }, { size: 'thumbnail' }) }),
    h('span.place-name', null, city)));
  };

  const el = h('section.page.explore-page', null,
    h('h1', null, 'Explore'),
    h('nav.explore-links', { 'aria-label': 'Quick searches' },
      h('a.chip', { href: '/map' }, icon(ICONS.map), 'Map'),
      h('a.chip', { href: searchHref({ type: 'VIDEO' }) }, icon(ICONS.photos), 'Videos'),
      h('a.chip', { href: searchHref({ favorite: 'true' }) }, icon(ICONS.favorite), 'Favorites'),
      h('a.chip', { href: searchHref({ notInAlbum: 'true' }) }, icon(ICONS.albums), 'In no album')),
    h('h2', null, 'Places'),
    places.length
      ? h('ul.places', { 'aria-label': 'Places' }, places.map(card))
      : h('p.hint', null, 'No places yet: photos with a GPS position get their place once their metadata is read.'));
  return { el };
}
