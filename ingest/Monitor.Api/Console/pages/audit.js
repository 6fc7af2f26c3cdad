// For auditors: the audit log searched by day range (in the bank's zone), actor, action and target, newest first, a
// page at a time; the same selection exported as CSV; and the hash chain's verdict. Nothing here changes anything.
import { api, query } from '../api.js';
import { h, clear, select, field, toast, download } from '../dom.js';
import { t } from '../i18n.js';
import { fmtTime, dayStart, addDays } from '../time.js';
import * as v from '../views.js';

const ACTIONS = ['acknowledge', 'confirm', 'dismiss', 'note', 'assign', 'suspend', 'reinstate', 'valve-shut', 'valve-reopen',
  'sheet-verdict', 'sheet-signed', 'sheet-correction', 'sheet-escalated', 'suppression-create', 'suppression-end'];

/** The API's filters from the page's: days become the start of the day (from) and of the day after (to), in the bank's zone. */
function filters(f) {
  return { from: f.from ? dayStart(f.from) : '', to: f.to ? dayStart(addDays(f.to, 1)) : '', actor: f.actor, action: f.action, target: f.target };
}

export async function render(main, params, ctx) {
  const f = Object.fromEntries(['from', 'to', 'actor', 'action', 'target', 'before'].map(k => [k, params.get(k) ?? '']));
  const form = h('form', { class: 'filters', id: 'audit-filters' },
    field(t('from'), h('input', { type: 'date', name: 'from', value: f.from })),
    field(t('to'), h('input', { type: 'date', name: 'to', value: f.to })),
    field(t('actor'), h('input', { name: 'actor', value: f.actor, size: 12 })),
    field(t('action'), select({ name: 'action' }, [['', t('all')], ...ACTIONS.map(a => [a, t(`audit.${a}`)])], f.action)),
    field(t('targetStarts'), h('input', { name: 'target', value: f.target, size: 14 })),
    h('button', { type: 'submit', class: 'primary' }, t('apply')),
    h('button', { type: 'button', id: 'export-csv', onclick: () => exportCsv(f) }, t('exportCsv')));
  form.addEventListener('submit', e => { e.preventDefault(); ctx.navigate('audit', Object.fromEntries(new FormData(form))); });
  const chain = h('p', { id: 'chain', class: 'muted' }, t('chainChecking'));
  const body = h('div', { class: 'loading' }, t('loading'));
  clear(main).append(h('h1', null, t('nav.audit')), chain, form, body);
  api('/api/audit/verify').then(r => {
    chain.className = r.intact ? 'ok' : 'error';
    chain.textContent = r.intact ? t('chainIntact', { rows: r.rows, head: r.head.slice(0, 16) }) : t('chainBroken', { id: r.firstBroken.id, why: r.firstBroken.reason });
  }, e => { chain.textContent = e.message; });
  let page;
  try {
    page = await api('/api/audit/search' + query({ ...filters(f), before: f.before, limit: 50 }));
  } catch (e) {
    clear(body).append(v.failure(e));
    return;
  }
  clear(body).className = '';
  body.append(
    h('p', { id: 'audit-total' }, t('auditTotal', { n: page.total })),
    h('div', { class: 'scroll' }, h('table', { id: 'audit' },
      h('thead', null, h('tr', null, ['#', t('time'), t('actor'), t('action'), t('target'), t('reason'), t('detail')].map(x => h('th', null, x)))),
      h('tbody', null, page.entries.length ? page.entries.map(e => h('tr', { 'data-seq': e.seq },
        h('td', { class: 'num' }, String(e.seq)), h('td', { class: 'nowrap' }, fmtTime(e.at)),
        h('td', null, e.actor, h('div', { class: 'small muted' }, t(`role.${e.role}`))), h('td', null, t(`audit.${e.action}`)),
        h('td', { class: 'mono' }, e.target), h('td', { class: 'wide' }, h('p', { class: 'prose' }, e.reason ?? '')), h('td', { class: 'small' }, e.detail ?? '')))
        : h('tr', null, h('td', { colspan: 7, class: 'empty' }, t('noAudit')))))),
    h('div', { class: 'pager' },
      f.before ? h('button', { type: 'button', onclick: () => ctx.navigate('audit', { ...f, before: '' }) }, t('newest')) : null,
      page.next ? h('button', { type: 'button', id: 'audit-older', onclick: () => ctx.navigate('audit', { ...f, before: page.next }) }, t('older')) : null));
}

async function exportCsv(f) {
  try {
    const r = await api('/api/audit/export' + query(filters(f)), { raw: true });
    const name = /filename=([^;]+)/.exec(r.headers.get('Content-Disposition') ?? '')?.[1]?.replaceAll('"', '') ?? 'audit.csv';
    download(await r.blob(), name);
  } catch (e) {
    toast(e.message, 'error');
  }
}
