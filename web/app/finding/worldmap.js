// A small world map without a map library: a canvas for the ground (raster tiles when a
// reachable raster style is configured, otherwise an offline world of dots, one per 1-degree cell
// with a populated place, on an equirectangular grid) and a layer of real <button> markers, one
// per cluster: markers are grouped by screen distance (through a grid), so a zoomed-out world of
// 100k photos is a few hundred buttons. Wheel / +/- / double-click zoom, drag to pan.
import { h } from '../dom.js';
import { LAND_W, LAND_H, LAND_BITS } from './land.js';

const CELL = 56;          // cluster cell, CSS pixels
const TILE = 256;
const MAX_ZOOM = 18;
const MERCATOR_LAT = 85.0511;

/** @typedef {{id: string, lat: number, lon: number, city?: string | null, state?: string | null, country?: string | null}} Marker */
/** @typedef {{x: number, y: number, markers: Marker[]}} Cluster */

/** Projections to world coordinates in [0, 1] x [0, aspect]. */
const PROJECTIONS = {
  equirect: { aspect: 0.5, y: (/** @type {number} */ lat) => (90 - lat) / 360, lat: (/** @type {number} */ y) => 90 - y * 360 },
  mercator: {
    aspect: 1,
    y: (/** @type {number} */ lat) => {
      const s = Math.sin(Math.max(-MERCATOR_LAT, Math.min(MERCATOR_LAT, lat)) * Math.PI / 180);
      return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    },
    lat: (/** @type {number} */ y) => (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI,
  },
};

/**
 * Cluster markers on screen, in two passes so 100k markers stay cheap: first into bins of half
 * a cell (numeric keys, no search), then each bin, biggest first, joins the first cluster whose
 * seed is within `cell` pixels (looked up in the 3x3 cells around it) or seeds one. Plain grid
 * cells alone would split two close markers on either side of a cell border.
 * @param {{m: Marker, x: number, y: number}[]} placed
 * @returns {Cluster[]}
 */
export function cluster(placed, cell = CELL) {
  const half = cell / 2;
  /** @type {Map<number, {sx: number, sy: number, markers: Marker[]}>} */
  const bins = new Map();
  for (const p of placed) {
    const key = Math.floor(p.x / half) * 65536 + Math.floor(p.y / half);
    let b = bins.get(key);
    if (!b) { b = { sx: 0, sy: 0, markers: [] }; bins.set(key, b); }
    b.sx += p.x; b.sy += p.y; b.markers.push(p.m);
  }
  const sorted = [...bins.values()].sort((a, b) => b.markers.length - a.markers.length);
  /** @type {Map<number, {x0: number, y0: number, sx: number, sy: number, n: number, parts: Marker[][]}[]>} */
  const seeds = new Map();
  const all = [];
  for (const b of sorted) {
    const x = b.sx / b.markers.length, y = b.sy / b.markers.length;
    const gx = Math.floor(x / cell), gy = Math.floor(y / cell);
    let found = null;
    for (let dx = -1; dx <= 1 && !found; dx++) {
      for (let dy = -1; dy <= 1 && !found; dy++) {
        for (const c of seeds.get((gx + dx) * 65536 + gy + dy) || []) {
          if ((c.x0 - x) ** 2 + (c.y0 - y) ** 2 < cell * cell) { found = c; break; }
        }
      }
    }
    if (!found) {
      found = { x0: x, y0: y, sx: 0, sy: 0, n: 0, parts: [] };
      const key = gx * 65536 + gy;
      const list = seeds.get(key);
      if (list) list.push(found); else seeds.set(key, [found]);
      all.push(found);
    }
    found.sx += b.sx; found.sy += b.sy; found.n += b.markers.length; found.parts.push(b.markers);
  }
  return all.map((c) => ({ x: c.sx / c.n, y: c.sy / c.n, markers: c.parts.length === 1 ? c.parts[0] : c.parts.flat() }));
}

/**
 * @param {{onCluster: (markers: Marker[]) => void, tiles?: string | null}} opts
 */
export function worldMap(opts) {
  const canvas = /** @type {HTMLCanvasElement} */ (h('canvas.map-canvas', { 'aria-hidden': 'true' }));
  const layer = h('div.map-markers', { role: 'group', 'aria-label': 'Photo locations' });
  const zoomIn = h('button.map-zoom', { type: 'button', 'aria-label': 'Zoom in', onclick: () => zoomAt(1, w / 2, hgt / 2) }, '+');
  const zoomOut = h('button.map-zoom', { type: 'button', 'aria-label': 'Zoom out', onclick: () => zoomAt(-1, w / 2, hgt / 2) }, '−');
  const credit = h('div.map-credit');
  const el = h('div.world-map', { tabindex: '0', 'aria-label': 'Map. Arrow keys pan, + and - zoom.' },
    canvas, layer, h('div.map-controls', null, zoomIn, zoomOut), credit);
  /** @type {Marker[]} */
  let markers = [];
  /** The markers' world coordinates, x then y (projected once, not every frame). */
  let world = new Float64Array(0);
  const reproject = () => {
    world = new Float64Array(markers.length * 2);
    markers.forEach((m, i) => { const [x, y] = project(m); world[2 * i] = x; world[2 * i + 1] = y; });
  };
  /** @type {string | null} */
  let tiles = opts.tiles || null;
  let proj = tiles ? PROJECTIONS.mercator : PROJECTIONS.equirect;
  let zoom = 1;               // world width = TILE * 2^zoom CSS pixels
  let cx = 0.5, cy = 0.25;    // the centre, in world coordinates
  let w = 0, hgt = 0;
  let frame = 0;
  let pendingFit = false;   // frame the markers once the map has a size
  /** @type {Map<string, HTMLImageElement>} */
  const tileCache = new Map();
  const land = Uint8Array.from(atob(LAND_BITS), (c) => c.charCodeAt(0));

  const size = () => TILE * 2 ** zoom;
  const toScreen = (/** @type {number} */ x, /** @type {number} */ y) => [(x - cx) * size() + w / 2, (y - cy) * size() + hgt / 2];
  const project = (/** @type {Marker} */ m) => [(m.lon + 180) / 360, proj.y(m.lat)];

  function clampView() {
    const s = size();
    const minZoom = Math.log2(Math.max(1, Math.min(w / TILE, hgt / (TILE * proj.aspect))));
    if (zoom < minZoom) zoom = minZoom;
    const halfW = w / 2 / s, halfH = hgt / 2 / s;
    cx = halfW >= 0.5 ? 0.5 : Math.min(1 - halfW, Math.max(halfW, cx));
    cy = halfH >= proj.aspect / 2 ? proj.aspect / 2 : Math.min(proj.aspect - halfH, Math.max(halfH, cy));
  }

  function schedule() { if (!frame) frame = requestAnimationFrame(draw); }

  function draw() {
    frame = 0;
    const rect = el.getBoundingClientRect();
    if (!rect.width) return;
    if (rect.width !== w || rect.height !== hgt) {
      w = rect.width; hgt = rect.height;
      const dpr = window.devicePixelRatio || 1;
      canvas.width = Math.round(w * dpr); canvas.height = Math.round(hgt * dpr);
      canvas.style.width = `${w}px`; canvas.style.height = `${hgt}px`;
      /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d')).setTransform(dpr, 0, 0, dpr, 0, 0);
    }
    if (pendingFit) { pendingFit = false; fitNow(); }
    clampView();
    const g = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
    const css = getComputedStyle(el);
    g.fillStyle = css.getPropertyValue('--map-sea').trim() || '#dfe7f0';
    g.fillRect(0, 0, w, hgt);
    if (tiles) drawTiles(g); else drawDots(g, css);
    drawMarkers();
  }

  /** The offline world: graticule and one dot per inhabited cell. @param {CanvasRenderingContext2D} g @param {CSSStyleDeclaration} css */
  function drawDots(g, css) {
    const s = size();
    g.strokeStyle = css.getPropertyValue('--map-grid').trim() || '#c5d0dc';
    g.lineWidth = 1;
    const step = zoom > 4 ? 5 : zoom > 3 ? 10 : 30;
    g.beginPath();
    for (let lon = -180; lon <= 180; lon += step) { const [x] = toScreen((lon + 180) / 360, 0); g.moveTo(x, 0); g.lineTo(x, hgt); }
    for (let lat = -90; lat <= 90; lat += step) { const [, y] = toScreen(0, proj.y(lat)); g.moveTo(0, y); g.lineTo(w, y); }
    g.stroke();
    g.fillStyle = css.getPropertyValue('--map-land').trim() || '#9fb3c8';
    const cellPx = s / LAND_W;
    const r = Math.max(0.8, cellPx * 0.42);
    const [x0] = toScreen(0, 0);
    const i0 = Math.max(0, Math.floor(-x0 / cellPx)), i1 = Math.min(LAND_W, Math.ceil((w - x0) / cellPx));
    // zoomed in, a cell is a tinted block (dots that big say nothing); zoomed out, a dot
    const blocks = cellPx > 12;
    if (blocks) g.globalAlpha = 0.45;
    for (let j = 0; j < LAND_H; j++) {
      const [, y] = toScreen(0, proj.y(90 - (j + 0.5) * (180 / LAND_H)));
      if (y < -cellPx || y > hgt + cellPx) continue;
      for (let i = i0; i < i1; i++) {
        const bit = j * LAND_W + i;
        if (!(land[bit >> 3] & (1 << (bit & 7)))) continue;
        if (blocks) { g.fillRect(x0 + i * cellPx, y - cellPx / 2, cellPx + 0.5, cellPx + 0.5); continue; }
        g.beginPath();
        g.arc(x0 + (i + 0.5) * cellPx, y, r, 0, 2 * Math.PI);
        g.fill();
      }
    }
    g.globalAlpha = 1;
  }

  /** Raster tiles ({z}/{x}/{y}, Web Mercator) for the current view. @param {CanvasRenderingContext2D} g */
  function drawTiles(g) {
    const z = Math.max(0, Math.min(MAX_ZOOM, Math.round(zoom)));
    const n = 2 ** z, tilePx = size() / n;
    const [ox, oy] = toScreen(0, 0);
    for (let ty = Math.max(0, Math.floor(-oy / tilePx)); ty < Math.min(n, Math.ceil((hgt - oy) / tilePx)); ty++) {
      for (let tx = Math.max(0, Math.floor(-ox / tilePx)); tx < Math.min(n, Math.ceil((w - ox) / tilePx)); tx++) {
        const src = /** @type {string} */ (tiles).replace('{z}', String(z)).replace('{x}', String(tx)).replace('{y}', String(ty));
        let img = tileCache.get(src);
        if (!img) {
          img = new Image();
          img.crossOrigin = 'anonymous';
          img.onload = schedule;
          img.src = src;
          tileCache.set(src, img);
          if (tileCache.size > 400) tileCache.delete(/** @type {string} */ (tileCache.keys().next().value));
        }
        if (img.complete && img.naturalWidth) g.drawImage(img, ox + tx * tilePx, oy + ty * tilePx, tilePx + 0.5, tilePx + 0.5);
      }
    }
  }

  function drawMarkers() {
    const placed = [];
    const s = size(), ox = w / 2 - cx * s, oy = hgt / 2 - cy * s;
    for (let i = 0; i < markers.length; i++) {
      const x = world[2 * i] * s + ox, y = world[2 * i + 1] * s + oy;
      if (x < -CELL || y < -CELL || x > w + CELL || y > hgt + CELL) continue;
      placed.push({ m: markers[i], x, y });
    }
    const buttons = cluster(placed).map((c) => {
      const n = c.markers.length;
      const where = c.markers[0].city || c.markers[0].country || `${c.markers[0].lat.toFixed(2)}, ${c.markers[0].lon.toFixed(2)}`;
      const b = h('button.map-marker', {
        type: 'button', 'aria-label': `${n} photo${n === 1 ? '' : 's'} near ${where}`, title: `${n} · ${where}`,
        dataset: { count: String(n) },
        style: { left: `${c.x}px`, top: `${c.y}px` },
        onclick: (/** @type {Event} */ e) => { e.stopPropagation(); opts.onCluster(c.markers); },
      }, n > 1 ? String(n) : '');
      b.style.setProperty('--size', `${Math.min(56, 26 + Math.log2(n) * 5)}px`);
      return b;
    });
    layer.replaceChildren(...buttons);
  }

  /** Frame the markers (or the whole world when there are none); needs w and hgt. */
  function fitNow() {
    if (!markers.length) { zoom = 0; cx = 0.5; cy = proj.aspect / 2; return; }
    let x0 = 1, x1 = 0, y0 = 1, y1 = 0;
    for (const m of markers) { const [x, y] = project(m); x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
    // world units per pixel needed to show the span in 80% of the view; a single place gets the closest
    const span = Math.max((x1 - x0) / (w * 0.8), (y1 - y0) / (hgt * 0.8));
    const most = tiles ? 12 : 4;  // offline, a wide view: the dots are all there is to see
    zoom = span > 0 ? Math.max(0, Math.min(most, Math.log2(1 / (span * TILE)))) : most;
    cx = (x0 + x1) / 2; cy = (y0 + y1) / 2;
  }

  /** Zoom by `dz` keeping the point under (px, py) fixed. */
  function zoomAt(/** @type {number} */ dz, /** @type {number} */ px, /** @type {number} */ py) {
    const before = size();
    const wx = cx + (px - w / 2) / before, wy = cy + (py - hgt / 2) / before;
    zoom = Math.max(0, Math.min(MAX_ZOOM, zoom + dz));
    const after = size();
    cx = wx - (px - w / 2) / after; cy = wy - (py - hgt / 2) / after;
    schedule();
  }

  el.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = el.getBoundingClientRect();
    zoomAt(-Math.sign(e.deltaY) * 0.5, e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
  el.addEventListener('dblclick', (e) => { const r = el.getBoundingClientRect(); zoomAt(1, e.clientX - r.left, e.clientY - r.top); });
  /** @type {{x: number, y: number, cx: number, cy: number, id: number} | null} */
  let drag = null;
  el.addEventListener('pointerdown', (e) => {
    if (/** @type {HTMLElement} */ (e.target).closest('button')) return;
    drag = { x: e.clientX, y: e.clientY, cx, cy, id: e.pointerId };
    el.setPointerCapture(e.pointerId);
    el.classList.add('dragging');
  });
  el.addEventListener('pointermove', (e) => {
    if (!drag || e.pointerId !== drag.id) return;
    cx = drag.cx - (e.clientX - drag.x) / size(); cy = drag.cy - (e.clientY - drag.y) / size();
    schedule();
  });
  const endDrag = () => { drag = null; el.classList.remove('dragging'); };
  el.addEventListener('pointerup', endDrag);
  el.addEventListener('pointercancel', endDrag);
  el.addEventListener('keydown', (e) => {
    const step = 80 / size();
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (e.target !== el) return;
    if (e.key in moves) { const [dx, dy] = moves[/** @type {keyof moves} */ (e.key)]; cx += dx; cy += dy; schedule(); e.preventDefault(); }
    else if (e.key === '+' || e.key === '=') zoomAt(1, w / 2, hgt / 2);
    else if (e.key === '-') zoomAt(-1, w / 2, hgt / 2);
  });
  const resize = new ResizeObserver(schedule);
  resize.observe(el);

  return {
    el,
    /** Show these markers; `fit` frames them. @param {Marker[]} list @param {boolean} [fit] */
    setMarkers(list, fit = false) {
      markers = list;
      reproject();
      if (fit) pendingFit = true;
      schedule();
    },
    /** Frame the markers (or the world) at the next frame. */
    fit() { pendingFit = true; schedule(); },
    /** Switch to raster tiles (Web Mercator), with their attribution. @param {string} template @param {string} [attribution] */
    useTiles(template, attribution = '') {
      const wy = proj.lat(cy);
      tiles = template;
      proj = PROJECTIONS.mercator;
      cy = proj.y(wy);
      reproject();
      credit.textContent = attribution.replace(/<[^>]*>/g, '');
      el.classList.add('tiled');
      schedule();
    },
    get tiled() { return tiles !== null; },
    destroy() { resize.disconnect(); cancelAnimationFrame(frame); },
  };
}
