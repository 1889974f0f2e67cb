// What the jobs page knows about each queue: its title, a line on what it does, and which
// "start" commands Immich's PUT /jobs/{name} accepts for it (force true = all assets,
// false = only the missing ones; queues without a start job only pause/resume/clear).

/** @typedef {{title: string, about: string, start?: 'all-missing' | 'start'}} QueueInfo */

/** @type {Record<string, QueueInfo>} */
export const QUEUES = {
  thumbnailGeneration: { title: 'Generate thumbnails', about: 'Thumbnails and previews for every asset, person and face', start: 'all-missing' },
  metadataExtraction: { title: 'Extract metadata', about: 'EXIF, GPS, dates and sizes from each file', start: 'all-missing' },
  library: { title: 'External libraries', about: 'Scan external libraries for new and changed files', start: 'all-missing' },
  sidecar: { title: 'Sidecar metadata', about: 'Discover or sync XMP sidecar files', start: 'all-missing' },
  smartSearch: { title: 'Smart search', about: 'Machine-learning embeddings for search by content', start: 'all-missing' },
  duplicateDetection: { title: 'Duplicate detection', about: 'Find visually similar assets', start: 'all-missing' },
  faceDetection: { title: 'Face detection', about: 'Find faces in the assets', start: 'all-missing' },
  facialRecognition: { title: 'Facial recognition', about: 'Group detected faces into people', start: 'all-missing' },
  ocr: { title: 'OCR', about: 'Recognise text in the images', start: 'all-missing' },
  videoConversion: { title: 'Transcode videos', about: 'Videos in a format every browser plays', start: 'all-missing' },
  storageTemplateMigration: { title: 'Storage template migration', about: 'Move files to the storage template paths', start: 'start' },
  migration: { title: 'Migration', about: 'Move thumbnails and encoded videos to the current folder layout', start: 'start' },
  backupDatabase: { title: 'Database backup', about: 'Dump the database to the backups folder', start: 'start' },
  backgroundTask: { title: 'Background tasks', about: 'Deletions, cleanups and other housekeeping' },
  search: { title: 'Search', about: 'Search index upkeep' },
  notifications: { title: 'Notifications', about: 'Emails and in-app notifications' },
  workflow: { title: 'Workflows', about: 'Automations triggered by events' },
  editor: { title: 'Editor', about: 'Apply edits to assets' },
  integrityCheck: { title: 'Integrity checks', about: 'Missing, untracked and corrupted files' },
};

/** POST /jobs names (ManualJobName) offered by "Create job", with labels. */
export const MANUAL_JOBS = [
  ['tag-cleanup', 'Tag cleanup'],
  ['person-cleanup', 'Person cleanup'],
  ['user-cleanup', 'Delete users whose delay has passed'],
  ['memory-cleanup', 'Memory cleanup'],
  ['memory-create', 'Create memories'],
  ['backup-database', 'Back up the database'],
  ['integrity-missing-files', 'Integrity: missing files'],
  ['integrity-untracked-files', 'Integrity: untracked files'],
  ['integrity-checksum-mismatch', 'Integrity: checksum mismatches'],
];

/** The queue's info, or a title made from its name (a queue this page does not know yet). */
export function queueInfo(/** @type {string} */ name) {
  return QUEUES[name] || { title: name.replace(/([a-z])([A-Z])/g, '$1 $2'), about: '' };
}
