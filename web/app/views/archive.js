// Archive: photos kept out of the timeline (visibility "archive").
import { libraryPage } from '../albums/library-page.js';
import { ADD_TO_ALBUM, DOWNLOAD, TRASH, moveTo } from '../albums/actions.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  return libraryPage(ctx, {
    title: 'Archive', id: 'archive',
    filter: { visibility: 'archive' },
    empty: 'Nothing archived. Archive photos to hide them from the timeline.',
    actions: [moveTo('timeline', 'Unarchive'), ADD_TO_ALBUM, DOWNLOAD, TRASH],
  });
}
