// Users (admin): the list with usage (GET /admin/users?withDeleted=true and /server/statistics),
// create with password and quota, edit name / email / quota / admin / storage label / password,
// delete as Immich does (after user.deleteDelay days, or queued at once with `force`), and
// restore a user whose deletion is still pending.
import * as api from '../api.js';
import { h, replace, formatBytes } from '../dom.js';
import { toast, toastError } from '../ui/toast.js';
import { formDialog, field, toGiB, fromGiB } from '../admin/forms.js';

/** @param {import('../router.js').ViewContext} ctx */
export default async function view(ctx) {
  const tbody = h('tbody');
  const summary = h('p.muted.users-summary');
  let deleteDelay = 7;

  async function load() {
    const [users, stats, config] = await Promise.all([
      api.get('/admin/users', { query: { withDeleted: true }, signal: ctx.signal }),
      api.get('/server/statistics', { signal: ctx.signal }),
      api.get('/system-config', { signal: ctx.signal }),
    ]);
    deleteDelay = config.user?.deleteDelay ?? deleteDelay;
    /** @type {Map<string, any>} */
    const usage = new Map(stats.usageByUser.map((/** @type {any} */ u) => [u.userId, u]));
    replace(tbody, users.map((/** @type {any} */ u) => row(u, usage.get(u.id))));
    const active = users.filter((/** @type {any} */ u) => u.status === 'active').length;
    summary.textContent = `${active} active user${active === 1 ? '' : 's'}, ${users.length - active} pending deletion`;
  }

  /** @param {any} u UserAdminResponseDto @param {any} stat UsageByUserDto (none for deleted users) */
  function row(u, stat) {
    const deleted = u.status !== 'active';
    const used = u.quotaUsageInBytes ?? stat?.usage ?? 0;
    const quota = u.quotaSizeInBytes;
    const pct = quota ? Math.min(100, Math.round((used / quota) * 100)) : 0;
    const self = u.id === ctx.user?.id;
    return h('tr', { dataset: { email: u.email, status: u.status }, class: deleted ? 'deleted' : '' },
      h('td', null, h('div.user-name', null, u.name, u.isAdmin ? h('span.tag', null, 'admin') : null, self ? h('span.tag', null, 'you') : null),
        h('div.muted', null, u.email)),
      h('td.num', null, stat ? `${stat.photos} / ${stat.videos}` : '–'),
      h('td', null,
        h('div', null, `${formatBytes(used)} of ${quota ? formatBytes(quota) : 'unlimited'}`),
        quota ? h('progress', { max: 100, value: pct, 'aria-label': `${pct}% of quota used` }) : null),
      h('td', null, deleted
        ? h('span.status.deleted', null, u.status === 'removing' ? 'Being removed' : `Deleted, removed after ${removeDate(u)}`)
        : h('span.status', null, 'Active')),
      h('td.row-actions', null, deleted
        ? (u.status === 'deleted' ? h('button.restore', { type: 'button', onclick: () => restore(u) }, 'Restore') : null)
        : [
          h('button.edit', { type: 'button', onclick: () => edit(u), 'aria-label': `Edit ${u.email}` }, 'Edit'),
          self ? null : h('button.delete', { type: 'button', onclick: () => remove(u), 'aria-label': `Delete ${u.email}` }, 'Delete'),
        ]));
  }

  const removeDate = (/** @type {any} */ u) => {
    const at = new Date(new Date(u.deletedAt).getTime() + deleteDelay * 86400e3);
    return at.toLocaleDateString();
  };

  async function create() {
    const [emailRow, email] = field('Email', { type: 'email', name: 'email', required: true, autocomplete: 'off' });
    const [passRow, password] = field('Password', { type: 'password', name: 'password', required: true, autocomplete: 'new-password' });
    const [nameRow, name] = field('Name', { type: 'text', name: 'name', required: true });
    const [quotaRow, quota] = field('Quota (GiB, empty for unlimited)', { type: 'number', name: 'quota', min: 0, step: 'any' });
    const [changeRow, change] = field('Require a password change at first login', { type: 'checkbox', name: 'shouldChangePassword', checked: true });
    const [adminRow, admin] = field('Administrator', { type: 'checkbox', name: 'isAdmin' });
    const made = await formDialog('Create user', [emailRow, passRow, nameRow, quotaRow, changeRow, adminRow], () => api.post('/admin/users', {
      body: {
        email: email.value, password: password.value, name: name.value, quotaSizeInBytes: fromGiB(quota.value),
        shouldChangePassword: change.checked, isAdmin: admin.checked,
      },
    }), { ok: 'Create', id: 'create-user-form' });
    if (made) { toast(`Created ${made.email}`, { kind: 'success' }); await load(); }
  }

  async function edit(/** @type {any} */ u) {
    const [nameRow, name] = field('Name', { type: 'text', name: 'name', required: true, value: u.name });
    const [emailRow, email] = field('Email', { type: 'email', name: 'email', required: true, value: u.email });
    const [labelRow, label] = field('Storage label', { type: 'text', name: 'storageLabel', value: u.storageLabel || '' });
    const [quotaRow, quota] = field('Quota (GiB, empty for unlimited)', { type: 'number', name: 'quota', min: 0, step: 'any', value: toGiB(u.quotaSizeInBytes) });
    const [passRow, password] = field('New password (empty: unchanged)', { type: 'password', name: 'password', autocomplete: 'new-password' });
    const [adminRow, admin] = field('Administrator', { type: 'checkbox', name: 'isAdmin', checked: u.isAdmin, disabled: u.id === ctx.user?.id });
    const saved = await formDialog(`Edit ${u.name}`, [nameRow, emailRow, labelRow, quotaRow, passRow, adminRow], () => api.put('/admin/users/{id}', {
      path: { id: u.id },
      body: {
        name: name.value, email: email.value, storageLabel: label.value || null, quotaSizeInBytes: fromGiB(quota.value),
        isAdmin: admin.checked, ...(password.value ? { password: password.value, shouldChangePassword: true } : {}),
      },
    }), { id: 'edit-user-form' });
    if (saved) { toast('Saved', { kind: 'success' }); await load(); }
  }

  async function remove(/** @type {any} */ u) {
    const [forceRow, force] = field('Queue the user and their assets for deletion now', { type: 'checkbox', name: 'force' });
    const done = await formDialog(`Delete ${u.name}?`, [
      h('p', null, `${u.email}'s account and assets are removed after ${deleteDelay} day${deleteDelay === 1 ? '' : 's'}; until then the user can be restored.`),
      forceRow,
    ], () => api.del('/admin/users/{id}', { path: { id: u.id }, body: { force: force.checked } }), { ok: 'Delete', danger: true, id: 'delete-user-form' });
    if (done) { toast(`Deleted ${u.email}`); await load(); }
  }

  async function restore(/** @type {any} */ u) {
    try {
      await api.post('/admin/users/{id}/restore', { path: { id: u.id } });
      toast(`Restored ${u.email}`, { kind: 'success' });
      await load();
    } catch (err) { toastError(err); }
  }

  await load();
  ctx.on('on_user_delete', () => load().catch(() => {}));
  const el = h('section.page.admin-users', null,
    h('div.page-head', null, h('h1', null, 'Users'),
      h('div.page-actions', null, h('button.primary#create-user', { type: 'button', onclick: create }, 'Create user'))),
    summary,
    h('div.table-scroll', null, h('table.data.users-table', null,
      h('thead', null, h('tr', null, ['User', 'Photos / videos', 'Storage', 'Status', ''].map((t) => h('th', null, t)))),
      tbody)));
  return { el };
}
