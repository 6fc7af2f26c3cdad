// One branch's daily verification sheet: the users' figures and totals, each item needing a verdict (every finding,
// each spot-check report), the verdicts and the signature; after signing, corrections beside the signed verdicts.
import { api, query } from '../api.js';
import { h, clear, select, ask, toast, download } from '../dom.js';
import { t, getLang, purposeName } from '../i18n.js';
import { fmtTime } from '../time.js';
import * as v from '../views.js';

export async function render(main, params, ctx, branch, day) {
  clear(main).append(h('div', { class: 'loading' }, t('loading')));
  let s;
  try {
    s = await api(`/api/sheets/${encodeURIComponent(branch)}/${day}`);
  } catch (e) {
    clear(main).append(h('h1', null, t('sheetTitle', { branch, day })), v.failure(e));
    return;
  }
  const again = () => render(main, params, ctx, branch, day);
  const st = s.status;
  const act = ctx.me.mayAct;
  const report = async format => {
    try {
      const r = await api(`/api/reports/daily/${encodeURIComponent(branch)}/${day}` + query({ format, lang: getLang() }), { raw: true });
      download(await r.blob(), `daily-${branch}-${day}.${format}`);
    } catch (e) {
      toast(e.message, 'error');
    }
  };
  clear(main).append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/sheets' }, '← ', t('nav.sheets'))),
    h('h1', null, t('sheetTitle', { branch: s.branchName ? `${s.branchName} ${branch}` : branch, day })),
    v.facts([
      [t('state'), st.signedAt ? `${t('signedBy')} ${st.signedBy} · ${fmtTime(st.signedAt)}` : t('unsigned')],
      st.note ? [t('note'), h('span', { class: 'prose' }, st.note)] : null,
      [t('escalation'), t(`esc.${st.escalatedTo}`)],
      [t('registerFeed'), t(`register.${s.registerFeed}`)],
      [t('undecided'), String(s.undecided)],
    ]),
    h('div', { class: 'buttons' },
      h('button', { type: 'button', onclick: () => report('xlsx') }, t('reportXlsx')),
      h('button', { type: 'button', onclick: () => report('html') }, t('reportHtml')),
      act && !st.signedAt ? h('button', { type: 'button', 'data-bulk-verdict': 'spot-check', onclick: () => bulk(branch, day, again) }, t('spotChecksLegitimate')) : null,
      act && !st.signedAt ? h('button', { type: 'button', class: 'primary', id: 'sign', disabled: s.undecided > 0, onclick: () => sign(branch, day, again) }, t('sign')) : null),
    h('h2', null, t('sheetUsers')),
    h('div', { class: 'scroll' }, users(s)),
    h('h2', null, t('sheetItems', { n: s.items.length })),
    h('div', { class: 'scroll' }, items(s, branch, day, act, again)));
}

function users(s) {
  const cols = ['readsTotal', 'needingAuthorization', 'authorized', 'offHours', 'refused', 'logins', 'loginFailures', 'accountChanges', 'findings'];
  const line = (r, total) => h('tr', { class: total ? 'total' : '' },
    h('td', null, total ? t('total') : v.id(r.userId, 'user', s.userNames?.[r.userId])), h('td', null, total ? '' : v.id(r.employeeId, 'employee', s.employeeNames?.[r.employeeId])),
    cols.map(k => h('td', { class: 'num' }, String(r[k] ?? 0))));
  return h('table', { id: 'sheet-users' },
    h('thead', null, h('tr', null, h('th', null, t('user')), h('th', null, t('employee')), cols.map(k => h('th', { class: 'num' }, t(`col.${k}`))))),
    h('tbody', null, s.users.map(r => line(r, false)), line(s.totals, true)));
}

function items(s, branch, day, act, again) {
  return h('table', { id: 'sheet-items' },
    h('thead', null, h('tr', null, [t('kind'), t('user'), t('time'), t('what'), t('verdict'), ''].map(x => h('th', null, x)))),
    h('tbody', null, s.items.map(i => {
      const standing = i.corrections?.length ? i.corrections[i.corrections.length - 1] : i.verdict;
      return h('tr', { 'data-item': i.itemId },
        h('td', null, t(`item.${i.kind}`)),
        h('td', null, v.id(i.userId, 'user', s.userNames?.[i.userId])),
        h('td', { class: 'nowrap' }, fmtTime(i.at)),
        h('td', { class: 'wide' }, i.kind === 'finding'
          ? [h('div', null, v.severity(i.severity), ' ', i.alertId ? h('a', { href: `#/alert/${encodeURIComponent(i.alertId)}` }, v.rule(i.rule)) : v.rule(i.rule))]
          : h('div', null, purposeName(i.purpose), ' · ', h('span', { class: 'mono' }, i.subjectId ?? '—'), ' · ', t('authorization'), ' ', h('span', { class: 'mono' }, i.authorizationId ?? t('none')))),
        h('td', null, standing ? [h('span', { class: `verdict verdict-${standing.verdict}` }, t(`verdict.${standing.verdict}`)), h('div', { class: 'small muted' }, `${standing.by} · ${fmtTime(standing.at)}`), h('div', { class: 'small prose' }, standing.reason),
          i.corrections?.length ? h('div', { class: 'small warn' }, t('corrected', { n: i.corrections.length })) : null] : h('span', { class: 'muted' }, t('noVerdict'))),
        h('td', null, act ? h('button', { type: 'button', 'data-verdict': i.itemId, onclick: () => verdict(i, s.status.signedAt, branch, day, again) }, s.status.signedAt ? t('correct') : t('giveVerdict')) : null));
    })));
}

async function verdict(item, signed, branch, day, again) {
  const answer = await ask({
    title: signed ? t('correct') : t('giveVerdict'), choices: [['legitimate', t('verdict.legitimate')], ['violation', t('verdict.violation')]],
    choiceLabel: t('verdict'), reasonLabel: t('reason'), required: true, confirm: t('save'),
  });
  if (!answer) return;
  try {
    await api(`/api/sheets/${encodeURIComponent(branch)}/${day}/items/${encodeURIComponent(item.itemId)}${signed ? '/correction' : ''}`, { method: 'POST', body: { verdict: answer.choice, reason: answer.reason } });
  } catch (e) {
    toast(e.message, 'error');
  }
  await again();
}

async function bulk(branch, day, again) {
  const answer = await ask({ title: t('spotChecksLegitimate'), text: t('spotChecksText'), reasonLabel: t('reason'), required: true, confirm: t('save') });
  if (!answer) return;
  try {
    await api(`/api/sheets/${encodeURIComponent(branch)}/${day}/items?kind=spot-check`, { method: 'POST', body: { verdict: 'legitimate', reason: answer.reason } });
  } catch (e) {
    toast(e.message, 'error');
  }
  await again();
}

async function sign(branch, day, again) {
  const answer = await ask({ title: t('sign'), text: t('signText', { branch, day }), reasonLabel: t('note'), confirm: t('sign') });
  if (!answer) return;
  try {
    await api(`/api/sheets/${encodeURIComponent(branch)}/${day}/sign`, { method: 'POST', body: answer.reason ? { reason: answer.reason } : {} });
    toast(t('signed'));
  } catch (e) {
    toast(e.message, 'error');
  }
  await again();
}
