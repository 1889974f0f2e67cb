// Favorites: every favorited photo and video in the timeline.
import { libraryPage } from '../albums/library-page.js';
import { ADD_TO_ALBUM, DOWNLOAD, TRASH, UNFAVORITE, moveTo } from '../albums/actions.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  return libraryPage(ctx, {
    title: 'Favorites', id: 'favorites',
    filter: { isFavorite: true },
    empty: 'No favorites yet. Mark photos with the heart to find them here.',
    actions: [UNFAVORITE, ADD_TO_ALBUM, DOWNLOAD, moveTo('archive', 'Archive'), TRASH],
  });
}
