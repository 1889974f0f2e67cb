// Search results as a timeline store, so the shared asset grid (app/timeline/grid.js) shows
// them (justified rows, selection, actions) and the viewer steps through them. Results come in
// pages (POST /search/metadata's nextPage), not month buckets: the loaded assets are grouped
// into months in the order they came, and while there is a next page a last placeholder month
// with no assets stands at the end; the grid asks to load it when it scrolls near, which
// fetches the next page. Uploads never join a search (accepts() is false).
import { TimelineStore, fromDto, monthOf } from '../timeline/store.js';

/** @typedef {(page: string) => Promise<{items: any[], nextPage: string | null}>} PageLoader */

const GUESS = 60; // the placeholder month's count: room for the next page while it loads

export class SearchStore extends TimelineStore {
  /** @param {PageLoader} loadPage @param {(n: number, more: boolean) => void} [onCount] */
  constructor(loadPage, onCount) {
    super({});
    this.loadPage = loadPage;
    this.onCount = onCount;
    /** @type {import('../timeline/store.js').Asset[]} */
    this.assets = [];
    /** @type {string | null} */
    this.next = '1';
    /** @type {Promise<void> | null} */
    this.paging = null;
    this.generation = 0;
  }

  async fetchBuckets() {
    const mine = ++this.generation;
    this.assets = [];
    this.next = '1';
    this.paging = null;
    await this.more(mine);
  }

  /** Fetch the next page and regroup. @param {number} mine */
  async more(mine = this.generation) {
    if (this.next === null) { this.paging = null; return; }
    const page = await this.loadPage(this.next);
    if (mine !== this.generation) { this.paging = null; return; }
    const seen = new Set(this.assets.map((a) => a.id));
    this.assets.push(...page.items.filter((d) => !seen.has(d.id)).map(fromDto));
    this.next = page.nextPage ?? null;
    this.paging = null; // before the grids hear of it: their redraw may ask for the next page
    this.regroup();
    this.onCount?.(this.assets.length, this.next !== null);
  }

  /** Months in arrival order (a month that comes back later, as relevance order may, is a new group). */
  regroup() {
    /** @type {import('../timeline/store.js').Bucket[]} */
    const buckets = [];
    const used = new Map();
    for (const a of this.assets) {
      const last = buckets[buckets.length - 1];
      const month = monthOf(a.fileCreatedAt);
      if (last && last.timeBucket.startsWith(month)) { /** @type {any[]} */ (last.assets).push(a); last.count++; continue; }
      const n = used.get(month) || 0;
      used.set(month, n + 1);
      buckets.push({ timeBucket: n ? `${month}#${n}` : month, count: 1, assets: [a], loading: null });
    }
    if (this.next !== null) {
      const month = buckets.length ? buckets[buckets.length - 1].timeBucket.slice(0, 10) : monthOf(new Date().toISOString());
      buckets.push({ timeBucket: `${month}#more`, count: GUESS, assets: null, loading: null });
    }
    this.buckets = buckets;
    this.changed();
  }

  /** @param {import('../timeline/store.js').Bucket} bucket */
  load(bucket) {
    if (bucket.assets) return Promise.resolve();
    if (!this.paging) {
      const paging = this.more().catch((err) => { this.paging = null; throw err; });
      this.paging = paging;
    }
    return this.paging || Promise.resolve();
  }

  accepts() { return false; }

  /** Drop assets (trashed, deleted, archived away) without asking the server again. @param {string[]} ids */
  remove(ids) {
    const gone = new Set(ids);
    const before = this.assets.length;
    this.assets = this.assets.filter((a) => !gone.has(a.id));
    if (this.assets.length !== before) this.regroup();
  }
}
