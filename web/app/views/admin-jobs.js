// Jobs: one tile per queue of GET /jobs with its live counts (polled every 2.5 s while the page
// is visible: Immich sends no socket event for queue counts), the commands PUT /jobs/{name}
// allows (all / missing / start, pause, resume, clear, clear failed), and each queue's
// concurrency, saved as system config job.<queue>.concurrency. "Create job" posts a manual job.
import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { toast, toastError } from '../ui/toast.js';
import { confirm, modal } from '../ui/modal.js';
import { QUEUES, MANUAL_JOBS, queueInfo } from '../admin/queues.js';

const POLL_MS = 2500;
const COUNTS = /** @type {const} */ (['active', 'waiting', 'delayed', 'paused', 'failed', 'completed']);

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const [first, config] = await Promise.all([
    api.get('/jobs', { signal: ctx.signal }),
    api.get('/system-config', { signal: ctx.signal }),
  ]);
  let jobConfig = config.job || {};
  const known = Object.keys(QUEUES);
  const names = Object.keys(first).sort((a, b) => rank(a) - rank(b));
  /** @param {string} n */
  function rank(n) { const i = known.indexOf(n); return i < 0 ? 1000 : i; }

  /** @type {Map<string, ReturnType<typeof tile>>} */
  const tiles = new Map(names.map((n) => [n, tile(n)]));

  /** A queue's tile; update(state) refreshes counts and, when the state changed, its buttons. */
  function tile(/** @type {string} */ name) {
    const info = queueInfo(name);
    const counts = Object.fromEntries(COUNTS.map((k) => [k, h('span.job-count-value', null, '0')]));
    const badge = h('span.job-badge');
    const buttons = h('div.job-buttons');
    let signature = '';
    const concurrency = jobConfig[name] ? concurrencyInput(name) : null;
    const el = h('article.job-tile.card', { id: `job-${name}`, dataset: { queue: name } },
      h('header', null, h('div', null, h('h2', null, info.title), h('p.muted', null, info.about)), badge),
      h('dl.job-counts', null, COUNTS.map((k) => h('div', { class: `job-count job-${k}` }, h('dt', null, k), h('dd', null, counts[k])))),
      h('div.job-foot', null, buttons, concurrency));
    /** @param {any} state QueueResponseLegacyDto */
    const update = (state) => {
      for (const k of COUNTS) counts[k].textContent = String(state.jobCounts[k] ?? 0);
      const { isPaused, isActive } = state.queueStatus;
      const busy = isActive || state.jobCounts.active > 0 || state.jobCounts.waiting > 0;
      el.classList.toggle('paused', isPaused);
      el.classList.toggle('busy', busy);
      badge.textContent = isPaused ? 'Paused' : busy ? 'Running' : 'Idle';
      badge.className = `job-badge ${isPaused ? 'paused' : busy ? 'running' : 'idle'}`;
      const next = [isPaused, busy, state.jobCounts.waiting > 0, state.jobCounts.failed > 0].join();
      if (next === signature) return;
      signature = next;
      const focused = document.activeElement instanceof HTMLElement && buttons.contains(document.activeElement)
        ? document.activeElement.dataset.command : null;
      replace(buttons, commandButtons(name, info, isPaused, busy, state.jobCounts));
      if (focused) /** @type {HTMLElement | null} */ (buttons.querySelector(`[data-command="${focused}"]`))?.focus();
    };
    return { el, update };
  }

  /** @param {string} name @param {import('../admin/queues.js').QueueInfo} info @param {boolean} isPaused @param {boolean} busy @param {any} counts */
  function commandButtons(name, info, isPaused, busy, counts) {
    const b = (/** @type {string} */ key, /** @type {string} */ label, /** @type {any} */ body, extra = {}) =>
      h('button', { type: 'button', dataset: { command: key }, onclick: () => run(name, body, label), ...extra }, label);
    return [
      info.start === 'all-missing' ? [
        b('all', 'All', { command: 'start', force: true }, { disabled: busy, title: 'Run for every asset' }),
        b('missing', 'Missing', { command: 'start', force: false }, { disabled: busy, title: 'Run for assets not done yet' }),
      ] : null,
      info.start === 'start' ? b('start', 'Start', { command: 'start' }, { disabled: busy }) : null,
      isPaused
        ? b('resume', 'Resume', { command: 'resume' }, { class: 'primary' })
        : name === 'backgroundTask' ? null : b('pause', 'Pause', { command: 'pause' }),
      counts.waiting > 0 ? b('empty', 'Clear', { command: 'empty' }, { title: 'Drop the waiting jobs' }) : null,
      counts.failed > 0 ? b('clear-failed', 'Clear failed', { command: 'clear-failed' }) : null,
    ];
  }

  /** PUT /jobs/{name}, then show the answer at once. */
  async function run(/** @type {string} */ name, /** @type {any} */ body, /** @type {string} */ label) {
    if (body.command === 'empty' && !(await confirm(`Drop the waiting ${queueInfo(name).title} jobs?`, { ok: 'Clear', danger: true }))) return;
    try {
      const state = await api.put('/jobs/{name}', { path: { name }, body });
      tiles.get(name)?.update(state);
      toast(`${queueInfo(name).title}: ${label}`);
    } catch (err) {
      toastError(err);
    }
  }

  /** The concurrency input of a queue: saved on change through PUT /system-config. */
  function concurrencyInput(/** @type {string} */ name) {
    const input = /** @type {HTMLInputElement} */ (h('input', {
      type: 'number', min: 1, step: 1, value: String(jobConfig[name].concurrency), name: `concurrency-${name}`,
      onchange: async () => {
        const value = Number(input.value);
        try {
          const current = await api.get('/system-config', { signal: ctx.signal });
          const saved = await api.put('/system-config', {
            body: { ...current, job: { ...current.job, [name]: { ...current.job[name], concurrency: value } } },
          });
          jobConfig = saved.job;
          input.value = String(saved.job[name].concurrency);
          toast(`${queueInfo(name).title}: concurrency ${input.value}`, { kind: 'success' });
        } catch (err) {
          toastError(err);
          input.value = String(jobConfig[name].concurrency);
        }
      },
    }));
    return h('label.job-concurrency', null, 'Concurrency', input);
  }

  async function createJob() {
    const select = /** @type {HTMLSelectElement} */ (h('select', { name: 'job' }, MANUAL_JOBS.map(([v, l]) => h('option', { value: v }, l))));
    const name = await modal('Create job', (close) => h('form', { onsubmit: (/** @type {Event} */ e) => { e.preventDefault(); close(select.value); } },
      h('label', null, 'Job', select),
      h('div.actions', null,
        h('button', { type: 'button', onclick: () => close(null) }, 'Cancel'),
        h('button.primary', { type: 'submit' }, 'Create'))));
    if (!name) return;
    try {
      await api.post('/jobs', { body: { name } });
      toast('Job created', { kind: 'success' });
    } catch (err) { toastError(err); }
  }

  const updated = h('small.muted.jobs-updated', { 'aria-live': 'off' });
  const poll = async () => {
    if (document.hidden) return;
    try {
      const all = await api.get('/jobs', { signal: ctx.signal });
      for (const [name, state] of Object.entries(all)) tiles.get(name)?.update(state);
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
    } catch (err) {
      if (/** @type {any} */ (err)?.name !== 'AbortError') updated.textContent = `Not updated: ${/** @type {any} */ (err).message}`;
    }
  };
  for (const [name, state] of Object.entries(first)) tiles.get(name)?.update(state);
  const timer = setInterval(poll, POLL_MS);
  const onVisible = () => { if (!document.hidden) poll(); };
  document.addEventListener('visibilitychange', onVisible);
  ctx.on('on_config_update', async () => { jobConfig = (await api.get('/system-config').catch(() => config)).job || jobConfig; });

  const el = h('section.page.admin-jobs', null,
    h('div.page-head', null, h('h1', null, 'Jobs'),
      h('div.page-actions', null, updated,
        h('button#create-job', { type: 'button', onclick: createJob }, 'Create job'),
        h('a.button', { href: '/admin/system-settings?section=job' }, 'Job settings'))),
    h('div.job-grid', null, [...tiles.values()].map((t) => t.el)));
  return {
    el,
    destroy: () => { clearInterval(timer); document.removeEventListener('visibilitychange', onVisible); },
  };
}
