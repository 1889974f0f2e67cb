// The date scrubber at the grid's right edge: years along the whole height, the month under the
// pointer while hovering or dragging, a drag moves the scroll position directly.
import { h } from '../dom.js';

const monthName = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric' });

/** @param {HTMLElement} scroller */
export function scrubber(scroller) {
  const thumb = h('div.scrub-thumb');
  const label = h('div.scrub-label', { hidden: true });
  const marks = h('div.scrub-marks');
  const el = h('div.scrubber', {
    role: 'slider', tabindex: '0', 'aria-label': 'Timeline position', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0',
  }, marks, thumb, label);
  /** @type {{label: string, top: number}[]} */
  let months = [];
  let total = 1;
  let dragging = false;

  const fraction = (/** @type {PointerEvent} */ e) => {
    const r = el.getBoundingClientRect();
    return Math.min(1, Math.max(0, (e.clientY - r.top) / r.height));
  };
  /** The month at a content offset. @param {number} y */
  const monthAt = (y) => {
    let found = months[0];
    for (const m of months) { if (m.top <= y) found = m; else break; }
    return found;
  };
  const show = (/** @type {PointerEvent} */ e) => {
    const f = fraction(e);
    const m = monthAt(f * total);
    if (!m) return;
    const [y, mo] = m.label.split('-').map(Number);
    label.textContent = monthName.format(new Date(y, mo - 1, 1));
    label.style.top = `${f * 100}%`;
    label.hidden = false;
    return f;
  };
  const jump = (/** @type {number} */ f) => {
    const m = monthAt(f * total);
    // land on the month's start when close to it, so a click on a year lands on its first month
    scroller.scrollTop = m && Math.abs(m.top - f * total) < scroller.clientHeight ? m.top : f * Math.max(0, total - scroller.clientHeight);
  };
  el.addEventListener('pointermove', (e) => { const f = show(e); if (dragging && f !== undefined) jump(f); });
  el.addEventListener('pointerleave', () => { if (!dragging) label.hidden = true; });
  el.addEventListener('pointerdown', (e) => {
    dragging = true;
    el.setPointerCapture(e.pointerId);
    const f = show(e);
    if (f !== undefined) jump(f);
  });
  el.addEventListener('pointerup', () => { dragging = false; label.hidden = true; });
  el.addEventListener('keydown', (e) => {
    const st = scroller.scrollTop;
    const i = months.findIndex((m, k) => m.top <= st && (k === months.length - 1 || months[k + 1].top > st));
    let to = -1;
    if (e.key === 'ArrowDown' || e.key === 'PageDown') to = Math.min(months.length - 1, i + 1);
    else if (e.key === 'ArrowUp' || e.key === 'PageUp') to = Math.max(0, months[i]?.top === st ? i - 1 : i);
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = months.length - 1;
    if (to < 0 || !months[to]) return;
    e.preventDefault();
    scroller.scrollTop = months[to].top;
  });

  return {
    el,
    /** New month positions. @param {{label: string, top: number}[]} list @param {number} height */
    update(list, height) {
      months = list;
      total = Math.max(1, height);
      marks.textContent = '';
      let lastYear = '';
      let lastPct = -10;
      for (const m of list) {
        const year = m.label.slice(0, 4);
        if (year === lastYear) continue;
        lastYear = year;
        const pct = (m.top / total) * 100;
        if (pct - lastPct < 4) continue; // too close to the previous label to read
        lastPct = pct;
        marks.append(h('div.scrub-year', { style: { top: `${pct}%` } }, year));
      }
    },
    /** Where the viewport is. @param {number} top @param {number} view */
    position(top, view) {
      const pct = (top / Math.max(1, total - view)) * 100;
      thumb.style.top = `${Math.min(100, pct)}%`;
      el.setAttribute('aria-valuenow', String(Math.round(Math.min(100, pct))));
      const m = monthAt(top);
      if (m) el.setAttribute('aria-valuetext', m.label.slice(0, 7));
    },
  };
}
