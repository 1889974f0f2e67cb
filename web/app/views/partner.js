// Partner: placeholder until its screen is built (docs/web.md: copy views/example.js).
import { placeholder } from './_placeholder.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  return placeholder(ctx, 'Partner', '');
}
