// Which raster tiles the map may use: the server's map style URL (system config
// map.lightStyle / map.darkStyle, as GET /server/config's mapLightStyleUrl / mapDarkStyleUrl)
// when it is a raster tile template ('.../{z}/{x}/{y}.png') or a MapLibre style whose sources
// include a raster one, and only when a tile actually loads. Vector styles (Immich's default)
// need a vector renderer, which this app does not ship: the map then stays offline.

const WAIT_MS = 4000;

/** @template T @param {Promise<T>} p @returns {Promise<T>} */
function withTimeout(p) {
  return Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), WAIT_MS))]);
}

/** Resolves when one image loads. @param {string} src */
function probe(src) {
  return withTimeout(new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(true);
    img.onerror = () => reject(new Error('tile failed'));
    img.src = src;
  }));
}

/**
 * The raster tile template and attribution to use, or null for the offline map.
 * @param {{mapLightStyleUrl?: string, mapDarkStyleUrl?: string}} config
 * @returns {Promise<{template: string, attribution: string} | null>}
 */
export async function rasterTiles(config) {
  const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches;
  const styleUrl = (dark ? config.mapDarkStyleUrl : config.mapLightStyleUrl) || config.mapLightStyleUrl || '';
  if (!/^https?:\/\//.test(styleUrl)) return null;
  try {
    /** @type {{template: string, attribution: string} | null} */
    let found = null;
    if (styleUrl.includes('{z}')) found = { template: styleUrl, attribution: '' };
    else {
      // the style is a JSON document on another site (not our API): loaded as a JSON module
      const style = (await withTimeout(import(styleUrl, { with: { type: 'json' } }))).default;
      for (const src of Object.values(style?.sources || {})) {
        if (src?.type === 'raster' && Array.isArray(src.tiles) && src.tiles.length) {
          found = { template: String(src.tiles[0]), attribution: String(src.attribution || '') };
          break;
        }
      }
    }
    if (!found) return null;
    await probe(found.template.replace('{z}', '0').replace('{x}', '0').replace('{y}', '0'));
    return found;
  } catch {
    return null;
  }
}
