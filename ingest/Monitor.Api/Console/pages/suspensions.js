// The monitor's suspensions of users' query permission, in force or ended, and an officer's reinstatement: the reason
// is required, the reinstate command goes to the access-control system (or on the next start, if Kafka is down).
import { api, query } from '../api.js';
import { h, clear, select, field, ask, toast } from '../dom.js';
import { t } from '../i18n.js';
import { fmtTime } from '../time.js';
import * as v from '../views.js';

export async function render(main, params, ctx) {
  const st = params.get('state') || 'active';
  const branch = params.get('branch') || '';
  const form = h('form', { class: 'filters' },
    field(t('state'), select({ name: 'state' }, ['active', 'ended', 'all'].map(x => [x, t(`sus.${x}`)]), st)),
    field(t('branch'), h('input', { name: 'branch', value: branch, size: 10 })),
    h('button', { type: 'submit', class: 'primary' }, t('apply')));
  form.addEventListener('submit', e => { e.preventDefault(); ctx.navigate('suspensions', Object.fromEntries(new FormData(form))); });
  form.addEventListener('change', e => { if (e.target.tagName === 'SELECT') form.requestSubmit(); });
  const body = h('div', { class: 'loading' }, t('loading'));
  clear(main).append(h('h1', null, t('nav.suspensions')), form, body);
  let list;
  try {
    list = await api('/api/suspensions' + query({ state: st, branch }));
  } catch (e) {
    clear(body).append(v.failure(e));
    return;
  }
  clear(body).className = '';
  body.append(h('table', { id: 'suspensions' },
    h('thead', null, h('tr', null, [t('user'), t('branch'), t('since'), t('reason'), t('state'), ''].map(x => h('th', null, x)))),
    h('tbody', null, list.length ? list.map(s => h('tr', { 'data-user': s.userId },
      h('td', null, h('a', { href: `#/queue?user=${encodeURIComponent(s.userId)}&state=all` }, v.id(s.userId, 'user', s.userName))),
      h('td', null, v.id(s.branchId, 'branch', s.branchName)),
      h('td', { class: 'nowrap' }, fmtTime(s.since)),
      h('td', { class: 'wide' }, h('p', { class: 'prose' }, s.reason)),
      h('td', null, s.active ? h('span', { class: 'state state-open' }, t('suspended'))
        : [h('span', { class: 'state state-dismissed' }, t('reinstated')), h('div', { class: 'muted small' }, `${s.endedBy} · ${fmtTime(s.endedAt)}`), h('div', { class: 'prose small' }, s.endedReason ?? '')]),
      h('td', null, s.active && ctx.me.mayAct ? h('button', { type: 'button', 'data-reinstate': s.userId, onclick: () => reinstate(s, main, params, ctx) }, t('reinstate')) : null)))
      : h('tr', null, h('td', { colspan: 6, class: 'empty' }, t('noSuspensions'))))));
}

async function reinstate(s, main, params, ctx) {
  const answer = await ask({ title: t('reinstate'), text: t('reinstateText', { user: s.userId, branch: s.branchId }), reasonLabel: t('reason'), required: true, confirm: t('reinstate') });
  if (!answer) return;
  try {
    const r = await api(`/api/users/${encodeURIComponent(s.userId)}/reinstate`, { method: 'POST', body: { reason: answer.reason } });
    toast(r.sent ? t('reinstatedSent', { user: s.userId }) : t('reinstatedUnsent', { user: s.userId }), r.sent ? 'ok' : 'error');
  } catch (e) {
    toast(e.message, 'error');
  }
  await render(main, params, ctx);
}
