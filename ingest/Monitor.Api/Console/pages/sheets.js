// The daily verification sheets (日核查, docs/verification.md) of the key's branches: which days are signed, which are
// late and how far they went up (parent branch, head office).
import { api, query } from '../api.js';
import { h, clear, select, field } from '../dom.js';
import { t } from '../i18n.js';
import { fmtTime, today, addDays } from '../time.js';
import * as v from '../views.js';

export async function render(main, params, ctx) {
  const f = { from: params.get('from') || addDays(today(), -31), to: params.get('to') || '', branch: params.get('branch') || '', state: params.get('state') || 'all' };
  const form = h('form', { class: 'filters' },
    field(t('from'), h('input', { type: 'date', name: 'from', value: f.from })),
    field(t('to'), h('input', { type: 'date', name: 'to', value: f.to })),
    field(t('branchAndBelow'), h('input', { name: 'branch', value: f.branch, size: 10 })),
    field(t('state'), select({ name: 'state' }, ['all', 'unsigned', 'signed', 'escalated'].map(x => [x, t(`sheet.${x}`)]), f.state)),
    h('button', { type: 'submit', class: 'primary' }, t('apply')));
  form.addEventListener('submit', e => { e.preventDefault(); ctx.navigate('sheets', Object.fromEntries(new FormData(form))); });
  const body = h('div', { class: 'loading' }, t('loading'));
  clear(main).append(h('h1', null, t('nav.sheets')), form, body);
  let sheets;
  try {
    sheets = (await api('/api/sheets' + query(f))).sheets;
  } catch (e) {
    clear(body).append(v.failure(e));
    return;
  }
  clear(body).className = '';
  body.append(h('table', { id: 'sheets' },
    h('thead', null, h('tr', null, [t('branch'), t('day'), t('users'), t('signedBy'), t('escalation'), ''].map(x => h('th', null, x)))),
    h('tbody', null, sheets.length ? sheets.map(s => h('tr', { 'data-sheet': `${s.branchId}/${s.day}` },
      h('td', null, v.id(s.branchId, 'branch', s.branchName)),
      h('td', null, s.day),
      h('td', null, String(s.users)),
      h('td', null, s.signedBy ? `${s.signedBy} · ${fmtTime(s.signedAt)}` : h('span', { class: 'state state-open' }, t('unsigned'))),
      h('td', null, t(`esc.${s.escalatedTo}`)),
      h('td', null, h('a', { href: `#/sheet/${encodeURIComponent(s.branchId)}/${s.day}` }, t('openSheet')))))
      : h('tr', null, h('td', { colspan: 6, class: 'empty' }, t('noSheets'))))));
}
