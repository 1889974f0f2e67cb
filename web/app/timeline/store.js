// The assets of a timeline (the main one, favorites, archive, trash, an album...): its month
// buckets from GET /timeline/buckets, each month's assets from GET /timeline/bucket when first
// needed, and live changes. Screens share one store per filter (cached), so leaving the
// timeline for the viewer and coming back keeps what was loaded.
import * as api from '../api.js';
import * as socket from '../socket.js';

/**
 * @typedef {Object} Asset
 * @property {string} id
 * @property {string} ownerId
 * @property {number} ratio
 * @property {string | null} thumbhash
 * @property {boolean} isImage
 * @property {boolean} isFavorite
 * @property {boolean} isTrashed
 * @property {string} visibility
 * @property {number | null} duration        milliseconds, or null for images
 * @property {string} fileCreatedAt          local date-time as the server sends it
 * @property {string | null} livePhotoVideoId
 * @property {string} bucket                 its month's timeBucket
 */

/**
 * @typedef {Object} Bucket
 * @property {string} timeBucket   '2024-03-01'
 * @property {number} count
 * @property {Asset[] | null} assets
 * @property {Promise<void> | null} loading
 */

/** @typedef {Record<string, string | boolean | undefined>} Filter */

/** @type {Map<string, TimelineStore>} */
const stores = new Map();

/** The shared store for a filter (e.g. {visibility: 'timeline'}). @param {Filter} filter */
export function getStore(filter) {
  const key = JSON.stringify(filter);
  let store = stores.get(key);
  if (!store) {
    store = new TimelineStore(filter);
    stores.set(key, store);
  }
  return store;
}

/** Forget every store (a logout, another user). */
export function resetStores() {
  for (const s of stores.values()) s.dispose();
  stores.clear();
}

/** The store the viewer steps through: the last one a grid showed. @type {TimelineStore | null} */
export let activeStore = null;
export function setActiveStore(/** @type {TimelineStore} */ store) { activeStore = store; }

/** The month of a local date-time string: '2024-03-17T10:00:00' -> '2024-03-01'. */
export function monthOf(/** @type {string} */ dateTime) {
  return `${dateTime.slice(0, 7)}-01`;
}

export class TimelineStore extends EventTarget {
  /** @param {Filter} filter query parameters for both timeline calls */
  constructor(filter) {
    super();
    this.filter = filter;
    /** @type {Bucket[]} */
    this.buckets = [];
    /** @type {Promise<void> | null} */
    this.ready = null;
    /** @type {(() => void)[]} */
    this.unsubscribe = [
      socket.on('on_upload_success', (asset) => this.onUpload(asset)),
      socket.on('on_asset_delete', (id) => this.remove([id])),
      socket.on('on_asset_trash', (ids) => { if (!this.filter.isTrashed) this.remove(ids); else this.reload(); }),
      socket.on('on_asset_restore', () => this.reload()),
      socket.on('reconnect', () => this.reload()),
    ];
  }

  dispose() { for (const fn of this.unsubscribe) fn(); }

  /** Load the month list (once; `reload` to refresh). */
  init() {
    if (!this.ready) this.ready = this.fetchBuckets();
    return this.ready;
  }

  async fetchBuckets() {
    /** @type {{timeBucket: string, count: number}[]} */
    const list = await api.get('/timeline/buckets', { query: this.filter });
    const old = new Map(this.buckets.map((b) => [b.timeBucket, b]));
    this.buckets = list.map((b) => {
      const had = old.get(b.timeBucket);
      if (had && had.count === b.count) return had;
      return { timeBucket: b.timeBucket, count: b.count, assets: null, loading: null };
    });
    this.changed();
  }

  /** Refresh the month list; months whose count changed load again when shown. */
  reload() {
    if (!this.ready) return Promise.resolve(); // never shown: its first init() loads fresh
    this.ready = this.fetchBuckets();
    return this.ready;
  }

  /** @param {Bucket} bucket */
  load(bucket) {
    if (bucket.assets) return Promise.resolve();
    if (!bucket.loading) {
      bucket.loading = api.get('/timeline/bucket', { query: { ...this.filter, timeBucket: bucket.timeBucket } })
        .then((cols) => {
          bucket.assets = toAssets(cols, bucket.timeBucket);
          bucket.count = bucket.assets.length;
          this.changed(bucket);
        })
        .finally(() => { bucket.loading = null; });
    }
    return bucket.loading;
  }

  /** Tell the grids. @param {Bucket} [bucket] */
  changed(bucket) {
    this.dispatchEvent(new CustomEvent('change', { detail: { bucket } }));
  }

  /** An asset by id among the loaded months. @returns {Asset | null} */
  find(/** @type {string} */ id) {
    for (const b of this.buckets) {
      const a = b.assets?.find((x) => x.id === id);
      if (a) return a;
    }
    return null;
  }

  /**
   * The asset `delta` steps from `id` in timeline order, loading neighbouring months as needed.
   * @param {string} id @param {number} delta @returns {Promise<Asset | null>}
   */
  async neighbor(id, delta) {
    await this.init();
    let bi = this.buckets.findIndex((b) => b.assets?.some((a) => a.id === id));
    if (bi < 0) return null;
    let ai = /** @type {Asset[]} */ (this.buckets[bi].assets).findIndex((a) => a.id === id) + delta;
    for (;;) {
      const assets = /** @type {Asset[]} */ (this.buckets[bi].assets);
      if (ai >= 0 && ai < assets.length) return assets[ai];
      if (ai < 0) {
        if (--bi < 0) return null;
        await this.load(this.buckets[bi]);
        ai += /** @type {Asset[]} */ (this.buckets[bi].assets).length;
      } else {
        ai -= assets.length;
        if (++bi >= this.buckets.length) return null;
        await this.load(this.buckets[bi]);
      }
    }
  }

  /** Make sure the month holding an asset (by its local date-time) is loaded. */
  async locate(/** @type {string} */ localDateTime) {
    await this.init();
    const bucket = this.buckets.find((b) => b.timeBucket === monthOf(localDateTime));
    if (bucket) await this.load(bucket);
  }

  /** A new asset (AssetResponseDto from on_upload_success) where it belongs. @param {any} dto */
  onUpload(dto) {
    if (!this.accepts(dto)) return;
    const asset = fromDto(dto);
    let bucket = this.buckets.find((b) => b.timeBucket === asset.bucket);
    if (!bucket) {
      bucket = { timeBucket: asset.bucket, count: 0, assets: [], loading: null };
      this.buckets.push(bucket);
      this.buckets.sort((a, b) => (a.timeBucket < b.timeBucket ? 1 : -1));
    }
    if (bucket.assets) {
      if (bucket.assets.some((a) => a.id === asset.id)) return;
      // a new array: grids re-lay a month out when its array changes
      bucket.assets = [...bucket.assets, asset].sort(newestFirst);
      bucket.count = bucket.assets.length;
    } else {
      bucket.count += 1;
    }
    this.changed(bucket);
  }

  /** Whether an asset answer belongs in this store's filter. @param {any} dto */
  accepts(dto) {
    const f = this.filter;
    if (f.albumId || f.personId || f.tagId || f.key || f.slug) return false; // those reload instead
    if (f.isFavorite !== undefined && dto.isFavorite !== f.isFavorite) return false;
    if (Boolean(f.isTrashed) !== Boolean(dto.isTrashed)) return false;
    if (f.visibility && dto.visibility !== f.visibility) return false;
    return true;
  }

  /** Drop assets (deleted, trashed, archived away). @param {string[]} ids */
  remove(ids) {
    const gone = new Set(ids);
    let any = false;
    for (const b of this.buckets) {
      if (!b.assets) continue;
      const kept = b.assets.filter((a) => !gone.has(a.id));
      if (kept.length !== b.assets.length) {
        b.assets = kept;
        b.count = kept.length;
        any = true;
      }
    }
    const before = this.buckets.length;
    this.buckets = this.buckets.filter((b) => b.count > 0 || b.loading);
    if (any || before !== this.buckets.length) this.changed();
    if (!any) this.reload(); // a month not loaded yet: its count comes from the server
  }

  /** Change fields of loaded assets (favorite...). @param {string[]} ids @param {Partial<Asset>} patch */
  update(ids, patch) {
    const set = new Set(ids);
    for (const b of this.buckets) {
      if (!b.assets?.some((a) => set.has(a.id))) continue;
      b.assets = b.assets.map((a) => (set.has(a.id) ? { ...a, ...patch } : a)); // redrawn: a new array
    }
    this.changed();
  }
}

/** The server's order: local date-time descending, then id. @param {Asset} a @param {Asset} b */
function newestFirst(a, b) {
  if (a.fileCreatedAt !== b.fileCreatedAt) return a.fileCreatedAt < b.fileCreatedAt ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The columnar bucket answer as asset records. @param {any} c @param {string} bucket @returns {Asset[]} */
function toAssets(c, bucket) {
  return c.id.map((/** @type {string} */ id, /** @type {number} */ i) => ({
    id,
    ownerId: c.ownerId[i],
    ratio: c.ratio[i] || 1,
    thumbhash: c.thumbhash[i],
    isImage: c.isImage[i],
    isFavorite: c.isFavorite[i],
    isTrashed: c.isTrashed[i],
    visibility: c.visibility[i],
    duration: c.duration?.[i] ?? null,
    fileCreatedAt: c.fileCreatedAt[i],
    livePhotoVideoId: c.livePhotoVideoId?.[i] ?? null,
    bucket,
  }));
}

/** An AssetResponseDto as an asset record. @param {any} d @returns {Asset} */
export function fromDto(d) {
  const w = d.exifInfo?.exifImageWidth || d.width;
  const h = d.exifInfo?.exifImageHeight || d.height;
  const rotated = [5, 6, 7, 8].includes(Number(d.exifInfo?.orientation));
  const ratio = w && h ? (rotated ? h / w : w / h) : 1;
  const local = String(d.localDateTime || d.fileCreatedAt).replace(/Z$|[+-]\d\d:\d\d$/, '');
  return {
    id: d.id,
    ownerId: d.ownerId,
    ratio,
    thumbhash: d.thumbhash,
    isImage: d.type === 'IMAGE',
    isFavorite: d.isFavorite,
    isTrashed: d.isTrashed,
    visibility: d.visibility,
    duration: parseDuration(d.duration),
    fileCreatedAt: local,
    livePhotoVideoId: d.livePhotoVideoId || null,
    bucket: monthOf(local),
  };
}

/** '0:01:02.500000' -> 62500 ms; null for '0:00:00.00000' style image durations. */
export function parseDuration(/** @type {string | null | undefined} */ s) {
  if (!s) return null;
  const [h, m, sec] = s.split(':').map(Number);
  const ms = ((h * 60 + m) * 60 + sec) * 1000;
  return ms > 0 ? ms : null;
}
