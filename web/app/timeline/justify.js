// Justified rows: thumbnails keep their aspect ratio and each full row fills the width exactly.

/**
 * @typedef {{top: number, height: number, items: {index: number, left: number, width: number}[]}} Row
 */

export const GAP = 4;

/**
 * Lay out items (by aspect ratio, width/height) into rows about `target` px high.
 * @param {number[]} ratios @param {number} width @param {number} target
 * @returns {{rows: Row[], height: number}}
 */
export function justify(ratios, width, target) {
  /** @type {Row[]} */
  const rows = [];
  let top = 0;
  let start = 0;
  let sum = 0;
  const flush = (/** @type {number} */ end, /** @type {boolean} */ full) => {
    const gaps = (end - start - 1) * GAP;
    const height = full ? Math.max(40, (width - gaps) / sum) : Math.min(target, (width - gaps) / sum);
    let left = 0;
    const items = [];
    for (let i = start; i < end; i++) {
      const w = (ratios[i] || 1) * height;
      items.push({ index: i, left, width: w });
      left += w + GAP;
    }
    rows.push({ top, height, items });
    top += height + GAP;
    start = end;
    sum = 0;
  };
  for (let i = 0; i < ratios.length; i++) {
    sum += clampRatio(ratios[i]);
    if (sum * target + (i - start) * GAP >= width) flush(i + 1, true);
  }
  if (start < ratios.length) flush(ratios.length, false);
  return { rows, height: Math.max(0, top - GAP) };
}

/** Panoramas and slivers stay usable: ratio between 1/3 and 4. */
export function clampRatio(/** @type {number} */ r) {
  return Math.min(4, Math.max(1 / 3, r || 1));
}

/** The height a month of `count` assets will take before its assets are known. */
export function estimate(/** @type {number} */ count, /** @type {number} */ width, /** @type {number} */ target) {
  const perRow = Math.max(1, Math.floor((width + GAP) / (target * 1.4 + GAP)));
  const rows = Math.ceil(count / perRow);
  return rows * (target + GAP) - GAP;
}
