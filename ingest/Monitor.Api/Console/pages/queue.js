// The alert queue: one row per case (a user's day, or a branch's day when the branch itself spiked), filtered,
// sorted and paged by the API (GET /api/cases); officers select rows and acknowledge, confirm, dismiss or assign
// every alert of them at once.
import { api, query } from '../api.js';
import { h, clear, select, field } from '../dom.js';
import { t, RULES, ruleName } from '../i18n.js';
import { fmtTime } from '../time.js';
import { move, assign } from '../actions.js';
import * as v from '../views.js';

const FILTERS = ['rule', 'severity', 'state', 'branch', 'user', 'age', 'sort', 'page'];

export async function render(main, params, ctx) {
  const f = Object.fromEntries(FILTERS.map(k => [k, params.get(k) ?? '']));
  if (!params.has('state')) f.state = 'open';
  const go = changes => ctx.navigate('queue', { ...f, page: '', ...changes });

  const form = h('form', { class: 'filters', id: 'queue-filters' },
    field(t('rule'), select({ name: 'rule' }, [['', t('all')], ...RULES.map(r => [r, ruleName(r)])], f.rule)),
    field(t('severity'), select({ name: 'severity' }, [['', t('all')], ...['critical', 'high', 'medium', 'low'].map(x => [x, t(`sev.${x}`)])], f.severity)),
    field(t('state'), select({ name: 'state' }, [['all', t('all')], ...['open', 'acknowledged', 'confirmed', 'dismissed'].map(x => [x, t(`state.${x}`)])], f.state)),
    field(t('branchAndBelow'), h('input', { name: 'branch', value: f.branch, size: 10, placeholder: 'SB0101' })),
    field(t('user'), h('input', { name: 'user', value: f.user, size: 10 })),
    field(t('age'), select({ name: 'age' }, [['', t('anyAge')], ...['within-1d', 'within-7d', 'within-30d', 'over-1d', 'over-7d'].map(x => [x, t(`age.${x}`)])], f.age)),
    field(t('sort'), select({ name: 'sort' }, ['severity', 'newest', 'oldest', 'size'].map(x => [x, t(`sort.${x}`)]), f.sort || 'severity')),
    h('button', { type: 'submit', class: 'primary' }, t('apply')));
  form.addEventListener('submit', e => {
    e.preventDefault();
    const d = Object.fromEntries(new FormData(form));
    go(d);
  });
  form.addEventListener('change', e => { if (e.target.tagName === 'SELECT') form.requestSubmit(); });

  const body = h('div', { class: 'loading' }, t('loading'));
  clear(main).append(h('h1', null, t('nav.queue')), form, body);

  let data;
  try {
    data = await api('/api/cases' + query({ rule: f.rule, severity: f.severity, state: f.state === 'all' ? '' : f.state, branch: f.branch, user: f.user, age: f.age, sort: f.sort, page: f.page, pageSize: 25 }));
  } catch (e) {
    clear(body).append(v.failure(e));
    return;
  }
  clear(body).className = '';
  const selected = new Set();
  const count = h('span', { id: 'selected-count' }, t('selectedN', { n: 0 }));
  const items = () => data.cases.filter(c => selected.has(c.caseId)).flatMap(c => c.alerts);
  const what = () => t('casesAlerts', { cases: selected.size, alerts: items().length });
  const refresh = async changed => { if (changed) await render(main, params, ctx); };
  const bulk = ctx.me.mayAct ? h('div', { class: 'bulk', id: 'bulk' }, count,
    h('button', { type: 'button', 'data-bulk': 'acknowledge', onclick: async () => refresh(await move(items(), 'acknowledge', what())) }, t('act.acknowledge')),
    h('button', { type: 'button', 'data-bulk': 'confirm', onclick: async () => refresh(await move(items(), 'confirm', what())) }, t('act.confirm')),
    h('button', { type: 'button', 'data-bulk': 'dismiss', onclick: async () => refresh(await move(items(), 'dismiss', what())) }, t('act.dismiss'))) : null;
  const setBulk = () => {
    count.textContent = t('selectedN', { n: selected.size });
    bulk?.querySelectorAll('button').forEach(b => { b.disabled = selected.size === 0; });
  };

  const all = h('input', { type: 'checkbox', 'aria-label': t('selectAll'), id: 'select-all' });
  const rows = data.cases.map(c => row(c, selected, setBulk, ctx, refresh));
  all.addEventListener('change', () => {
    for (const r of rows) {
      const box = r.querySelector('input[type=checkbox]');
      box.checked = all.checked;
      box.dispatchEvent(new Event('change'));
    }
  });
  const table = h('table', { class: 'queue', id: 'queue' },
    h('thead', null, h('tr', null,
      ctx.me.mayAct ? h('th', { class: 'check' }, all) : null,
      h('th', null, t('severity')), h('th', null, t('case')), h('th', null, t('findings')),
      h('th', { class: 'wide' }, t('explanation')), h('th', null, t('assignedTo')), h('th', null, t('lastSeen')))),
    h('tbody', null, rows.length ? rows : h('tr', null, h('td', { colspan: 7, class: 'empty' }, t('noCases')))));
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  const pager = h('div', { class: 'pager' },
    h('button', { type: 'button', disabled: data.page <= 1, onclick: () => go({ ...f, page: data.page - 1 }) }, t('prev')),
    h('span', { id: 'queue-summary' }, t('pageOf', { page: data.page, pages, cases: data.total, alerts: data.alerts })),
    h('button', { type: 'button', disabled: data.page >= pages, onclick: () => go({ ...f, page: data.page + 1 }) }, t('next')),
    data.truncated ? h('span', { class: 'warn' }, t('truncated')) : null);
  body.append(bulk ?? '', table, pager);
  setBulk();
}

function row(c, selected, changed, ctx, refresh) {
  const box = h('input', { type: 'checkbox', 'aria-label': c.caseId, 'data-case': c.caseId });
  box.addEventListener('change', () => {
    if (box.checked) selected.add(c.caseId); else selected.delete(c.caseId);
    changed();
  });
  const states = Object.entries(c.states).map(([st, n]) => h('span', { class: `state state-${st}` }, `${t(`state.${st}`)} ${n}`));
  const who = c.kind === 'branch'
    ? [h('span', { class: 'kind' }, t('kind.branch')), ' ', v.id(c.branchId, 'branch', c.branchName), c.users.length ? h('div', { class: 'muted small' }, t('usersN', { n: c.users.length })) : null]
    : [h('span', { class: 'kind' }, t('kind.user')), ' ', v.id(c.userId, 'user', c.userName), h('div', { class: 'muted small' }, t('atBranch'), ' ', v.id(c.branchId, 'branch', c.branchName))];
  const assignBtn = ctx.me.mayAct ? h('button', { type: 'button', class: 'link', 'data-assign': c.caseId, onclick: async () => refresh(await assign(c.lead.alert.alertId, true)) }, t('assign')) : null;
  return h('tr', { 'data-case': c.caseId, class: `sev-row-${c.severity}` },
    ctx.me.mayAct ? h('td', { class: 'check' }, box) : null,
    h('td', null, v.severity(c.severity), h('div', { class: 'muted small' }, c.score)),
    h('td', null, h('a', { href: `#/alert/${encodeURIComponent(c.lead.alert.alertId)}`, class: 'case-link' }, who), h('div', { class: 'muted small' }, c.day)),
    h('td', null, h('div', null, c.rules.map(ruleName).join(t('listSep'))), h('div', { class: 'small' }, t('alertsN', { n: c.alerts.length }), ' ', states)),
    h('td', { class: 'wide' }, h('p', { class: 'clamp prose' }, v.explanation(c.lead.alert))),
    h('td', null, c.assignedTo ?? h('span', { class: 'muted' }, t('unassigned')), h('div', null, assignBtn)),
    h('td', { class: 'nowrap' }, fmtTime(c.lastEventTime)));
}
