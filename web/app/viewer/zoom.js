// Zoom and pan for the viewer's image: wheel or pinch zooms around the pointer, double-click
// toggles, drag pans when zoomed; CSS transforms only.

/**
 * @param {HTMLElement} stage   the element receiving the gestures
 * @param {HTMLElement} target  the element transformed
 * @param {(scale: number) => void} [onZoom]
 */
export function zoomable(stage, target, onZoom) {
  let scale = 1, x = 0, y = 0;
  /** @type {Map<number, {x: number, y: number}>} */
  const pointers = new Map();
  let pinch = 0;
  const apply = () => {
    target.style.transform = scale === 1 ? '' : `translate(${x}px, ${y}px) scale(${scale})`;
    stage.classList.toggle('zoomed', scale > 1);
    onZoom?.(scale);
  };
  /** Zoom to `next` keeping the point (cx, cy) (relative to the stage centre) still. */
  const zoomTo = (/** @type {number} */ next, cx = 0, cy = 0) => {
    next = Math.min(8, Math.max(1, next));
    x = cx - ((cx - x) * next) / scale;
    y = cy - ((cy - y) * next) / scale;
    scale = next;
    if (scale === 1) { x = 0; y = 0; }
    apply();
  };
  const rel = (/** @type {{clientX: number, clientY: number}} */ e) => {
    const r = stage.getBoundingClientRect();
    return [e.clientX - r.left - r.width / 2, e.clientY - r.top - r.height / 2];
  };
  stage.addEventListener('wheel', (e) => {
    e.preventDefault();
    zoomTo(scale * Math.exp(-e.deltaY / 300), ...rel(e));
  }, { passive: false });
  stage.addEventListener('dblclick', (e) => zoomTo(scale > 1 ? 1 : 2.5, ...rel(e)));
  stage.addEventListener('pointerdown', (e) => {
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      pinch = Math.hypot(a.x - b.x, a.y - b.y);
    }
  });
  stage.addEventListener('pointermove', (e) => {
    const last = pointers.get(e.pointerId);
    if (!last) return;
    if (pointers.size === 2) {
      pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
      const [a, b] = [...pointers.values()];
      const d = Math.hypot(a.x - b.x, a.y - b.y);
      if (pinch) zoomTo(scale * (d / pinch), ...rel({ clientX: (a.x + b.x) / 2, clientY: (a.y + b.y) / 2 }));
      pinch = d;
      return;
    }
    if (scale > 1) {
      x += e.clientX - last.x;
      y += e.clientY - last.y;
      apply();
    }
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
  });
  const up = (/** @type {PointerEvent} */ e) => { pointers.delete(e.pointerId); pinch = 0; };
  stage.addEventListener('pointerup', up);
  stage.addEventListener('pointercancel', up);
  return {
    zoomIn: () => zoomTo(scale * 1.5),
    zoomOut: () => zoomTo(scale / 1.5),
    reset: () => zoomTo(1),
    get scale() { return scale; },
  };
}
