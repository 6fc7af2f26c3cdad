// An alert and its case: what the monitor found and why (the explanation, in the page's language), the evidence
// events with their fields named, the case's other alerts, the officers' notes, and the user's timeline with a chart
// of daily reads against the usual level. Officers act on the alert or the whole case here.
import { api } from '../api.js';
import { h, clear, toast } from '../dom.js';
import { t, wire } from '../i18n.js';
import { fmtTime } from '../time.js';
import { move, assign } from '../actions.js';
import { readsChart } from '../chart.js';
import * as v from '../views.js';

/** The directory's name of what the alert is about: its account's holder, its branch, its employee (none for a terminal or a subject). */
function entityName(x) {
  return { user: x.userName, branch: x.branchName, employee: x.employeeName }[x.alert.entityType];
}

export async function render(main, params, ctx, alertId) {
  clear(main).append(h('div', { class: 'loading' }, t('loading')));
  let c;
  try {
    c = await api(`/api/alerts/${encodeURIComponent(alertId)}/case`);
  } catch (e) {
    clear(main).append(h('h1', null, t('alertTitle')), v.failure(e));
    return;
  }
  const me = c.alerts.find(a => a.alert.alertId === alertId);
  const a = me.alert;
  const again = async changed => { if (changed) await render(main, params, ctx, alertId); };
  const items = c.alerts.map(x => ({ alertId: x.alert.alertId, state: x.state }));
  const what = t('casesAlerts', { cases: 1, alerts: items.length });

  clear(main).append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/queue' }, '← ', t('nav.queue'))),
    h('h1', null, v.rule(a.rule), ' ', v.severity(a.severity)),
    h('div', { class: 'columns' },
      h('section', { class: 'main-col' },
        h('h2', null, t('explanation')),
        h('p', { class: 'prose explanation', id: 'explanation' }, v.explanation(a)),
        v.facts([
          [t('entity'), [t(`entity.${a.entityType}`), ' ', v.id(a.entityId, a.entityType, entityName(me))]],
          [t('user'), a.userId ? h('a', { href: `#/queue?user=${encodeURIComponent(a.userId)}&state=all` }, v.id(a.userId, 'user', me.userName)) : null],
          [t('branch'), v.id(a.branchId, 'branch', me.branchName)],
          [t('day'), a.day],
          [t('firstSeen'), fmtTime(a.eventTime)],
          [t('lastSeen'), fmtTime(a.lastEventTime)],
          [t('findingsCount'), String(a.count)],
          [t('score'), String(a.score)],
          [t('state'), [v.state(me.state), me.stateBy ? ` ${me.stateBy} · ${fmtTime(me.stateAt)}` : '', me.stateReason ? h('div', { class: 'prose muted' }, me.stateReason) : null]],
          a.suspend ? [t('suspension'), t('suspendRequested')] : null,
        ]),
        ctx.me.mayAct ? h('div', { class: 'buttons', id: 'alert-actions' },
          h('button', { type: 'button', 'data-act': 'acknowledge', onclick: async () => again(await move([{ alertId, state: me.state }], 'acknowledge', alertId)) }, t('act.acknowledge')),
          h('button', { type: 'button', 'data-act': 'confirm', onclick: async () => again(await move([{ alertId, state: me.state }], 'confirm', alertId)) }, t('act.confirm')),
          h('button', { type: 'button', 'data-act': 'dismiss', onclick: async () => again(await move([{ alertId, state: me.state }], 'dismiss', alertId)) }, t('act.dismiss'))) : null,
        h('h2', null, t('evidence')),
        evidence(a, c.evidence),
        a.userId ? h('section', { id: 'timeline' }, h('h2', null, t('timelineOf', { user: a.userId })), h('div', { class: 'loading' }, t('loading'))) : h('p', { class: 'muted' }, t('noUserTimeline'))),
      h('aside', { class: 'side-col' },
        h('h2', null, t('case')),
        v.facts([
          [t('caseKind'), t(`kind.${c.kind}`)],
          [t('branch'), v.id(c.branchId, 'branch', c.branchName)],
          c.kind === 'user' ? [t('user'), v.id(c.userId, 'user', c.userName)]
            : [t('users'), c.users.length ? c.users.flatMap((u, i) => [i ? t('listSep') : '', v.id(u, 'user', c.userNames?.[u])]) : '—'],
          [t('day'), c.day],
          [t('assignedTo'), c.assignedTo ?? t('unassigned')],
        ]),
        ctx.me.mayAct ? h('div', { class: 'buttons', id: 'case-actions' },
          h('button', { type: 'button', 'data-case-act': 'acknowledge', onclick: async () => again(await move(items, 'acknowledge', what)) }, t('case.acknowledge')),
          h('button', { type: 'button', 'data-case-act': 'confirm', onclick: async () => again(await move(items, 'confirm', what)) }, t('case.confirm')),
          h('button', { type: 'button', 'data-case-act': 'dismiss', onclick: async () => again(await move(items, 'dismiss', what)) }, t('case.dismiss')),
          h('button', { type: 'button', 'data-case-act': 'assign', onclick: async () => again(await assign(alertId, true)) }, t('assign'))) : null,
        h('h3', null, t('caseAlerts', { n: c.alerts.length })),
        h('ul', { class: 'case-alerts', id: 'case-alerts' }, c.alerts.map(x => h('li', { class: x.alert.alertId === alertId ? 'current' : '' },
          v.severity(x.alert.severity), ' ',
          h('a', { href: `#/alert/${encodeURIComponent(x.alert.alertId)}` }, v.rule(x.alert.rule)), ' ',
          v.id(x.alert.entityId, x.alert.entityType, entityName(x)), ' ', v.state(x.state)))),
        notes(c, alertId, ctx, again))));
  if (a.userId) await timeline(a, main.querySelector('#timeline'));
}

const EVENT_COLUMNS = ['occurredAt', 'type', 'purpose', 'outcome', 'channel', 'subjectType', 'subjectId', 'authorizationId', 'terminalId'];

function eventTable(events, id) {
  return h('div', { class: 'scroll' }, h('table', { class: 'events', id },
    h('thead', null, h('tr', null, EVENT_COLUMNS.map(k => h('th', null, t(`ev.${k}`))))),
    h('tbody', null, events.map(e => h('tr', { 'data-event': e.eventId },
      EVENT_COLUMNS.map(k => h('td', { class: k === 'subjectId' || k === 'authorizationId' ? 'mono' : '' },
        k === 'occurredAt' ? fmtTime(e[k]) : ['type', 'purpose', 'outcome', 'channel', 'subjectType', 'action'].includes(k) ? wire(k, e[k]) : (e[k] ?? '—'))))))));
}

function evidence(a, events) {
  const shown = events.filter(e => a.evidence.includes(e.eventId));
  const missing = a.evidence.length - shown.length;
  return h('div', null,
    shown.length ? eventTable(shown, 'evidence') : null,
    missing > 0 ? h('p', { class: 'muted' }, t('evidenceMissing', { n: missing, ids: a.evidence.filter(id => !shown.some(e => e.eventId === id)).slice(0, 5).join(', ') })) : null);
}

function notes(c, alertId, ctx, again) {
  const list = h('ol', { class: 'notes', id: 'notes' }, c.notes.map(n => h('li', null,
    h('div', { class: 'muted small' }, `${n.by} · ${fmtTime(n.at)}`, n.alertId !== alertId ? ` · ${n.alertId}` : ''),
    h('p', { class: 'prose' }, n.text))));
  const text = h('textarea', { id: 'note-text', rows: 3, maxlength: 2000, 'aria-label': t('addNote') });
  const form = ctx.me.mayAct ? h('form', { class: 'note-form' }, text, h('button', { type: 'submit' }, t('addNote'))) : null;
  form?.addEventListener('submit', async e => {
    e.preventDefault();
    if (!text.value.trim()) return;
    try {
      await api(`/api/alerts/${encodeURIComponent(alertId)}/notes`, { method: 'POST', body: { text: text.value } });
      toast(t('noteAdded'));
      await again(true);
    } catch (err) {
      toast(err.message, 'error');
    }
  });
  return h('section', null, h('h3', null, t('notes')), c.notes.length ? list : h('p', { class: 'muted' }, t('noNotes')), form);
}

async function timeline(a, box) {
  let days, tl;
  try {
    [days, tl] = await Promise.all([api(`/api/users/${encodeURIComponent(a.userId)}/days`), api(`/api/users/${encodeURIComponent(a.userId)}/timeline`)]);
  } catch (e) {
    box.lastChild.replaceWith(v.failure(e));
    return;
  }
  const sus = tl.suspension;
  box.lastChild.replaceWith(h('div', null,
    days.days.length ? h('figure', { id: 'reads-chart' }, readsChart(days.days, a.day), h('figcaption', { class: 'muted small' }, t('chartCaption', { window: days.window }))) : h('p', { class: 'muted' }, t('noDays')),
    h('h3', null, t('suspension')),
    sus ? v.facts([[t('state'), sus.active ? t('suspended') : t('reinstated')], [t('since'), fmtTime(sus.since)], [t('reason'), h('span', { class: 'prose' }, sus.reason)],
      sus.active ? null : [t('endedBy'), `${sus.endedBy} · ${fmtTime(sus.endedAt)} · ${sus.endedReason ?? ''}`]]) : h('p', { class: 'muted' }, t('neverSuspended')),
    h('h3', null, t('recentEvents')),
    tl.events.length ? eventTable(tl.events.slice(0, 20), 'recent-events') : h('p', { class: 'muted' }, t('noRecentEvents'))));
}
