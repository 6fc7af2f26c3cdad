// Branches whose automatic suspension the safety valve stopped (too many suspensions in an hour: more likely a fault
// than a branch of insiders), and an officer's reopening once the cause is understood; the reason is required.
import { api } from '../api.js';
import { h, clear, ask, toast } from '../dom.js';
import { t } from '../i18n.js';
import * as v from '../views.js';

export async function render(main, params, ctx) {
  const body = h('div', { class: 'loading' }, t('loading'));
  clear(main).append(h('h1', null, t('nav.branches')), h('p', { class: 'prose muted' }, t('valveText')), body);
  let shut, names;
  try {
    ({ branches: shut, names } = await api('/api/branches/shut'));
  } catch (e) {
    clear(body).append(v.failure(e));
    return;
  }
  clear(body).className = '';
  body.append(h('table', { id: 'shut-branches' },
    h('thead', null, h('tr', null, h('th', null, t('branch')), h('th', null, t('queueOfBranch')), h('th', null, ''))),
    h('tbody', null, shut.length ? shut.map(b => h('tr', { 'data-branch': b },
      h('td', null, v.id(b, 'branch', names?.[b])),
      h('td', null, h('a', { href: `#/queue?branch=${encodeURIComponent(b)}` }, t('openCases'))),
      h('td', null, ctx.me.mayAct ? h('button', { type: 'button', 'data-reopen': b, onclick: () => reopen(b, main, params, ctx) }, t('reopen')) : null)))
      : h('tr', null, h('td', { colspan: 3, class: 'empty' }, t('noShutBranches'))))));
}

async function reopen(branch, main, params, ctx) {
  const answer = await ask({ title: t('reopen'), text: t('reopenText', { branch }), reasonLabel: t('reason'), required: true, confirm: t('reopen') });
  if (!answer) return;
  try {
    await api(`/api/branches/${encodeURIComponent(branch)}/reopen`, { method: 'POST', body: { reason: answer.reason } });
    toast(t('reopened', { branch }));
  } catch (e) {
    toast(e.message, 'error');
  }
  await render(main, params, ctx);
}
