// An officer's work on alerts, one alert or a case's or a selection's at once: each alert is moved by its own call
// (its own audit row), and only those whose state allows the move are asked; the outcome is counted for the toast.
import { api } from './api.js';
import { ask, toast } from './dom.js';
import { t } from './i18n.js';

/** Which states each move starts from (docs/api.md): acknowledge from open; confirm and dismiss from open or acknowledged. */
export const FROM = { acknowledge: ['open'], confirm: ['open', 'acknowledged'], dismiss: ['open', 'acknowledged'] };

/** The alerts of <items> ({alertId, state}) the move applies to. */
export function movable(items, action) { return items.filter(i => FROM[action].includes(i.state)); }

/**
 * Asks for the reason (required to dismiss), then moves every movable alert; resolves to true when something moved.
 * <what> names the alerts in the dialog ("3 cases, 12 alerts").
 */
export async function move(items, action, what) {
  const todo = movable(items, action);
  if (todo.length === 0) {
    toast(t('nothingToMove', { action: t(`act.${action}`) }), 'error');
    return false;
  }
  const answer = await ask({
    title: t(`act.${action}`),
    text: t(`act.${action}.text`, { what, n: todo.length }),
    reasonLabel: t('reason'),
    required: action === 'dismiss',
    confirm: t(`act.${action}`),
  });
  if (!answer) return false;
  let done = 0;
  const failed = [];
  for (const i of todo) {
    try {
      await api(`/api/alerts/${encodeURIComponent(i.alertId)}/${action}`, { method: 'POST', body: answer.reason ? { reason: answer.reason } : {} });
      done++;
    } catch (e) {
      failed.push(`${i.alertId}: ${e.message}`);
    }
  }
  if (failed.length) toast(t('moveFailed', { done, failed: failed.length, first: failed[0] }), 'error');
  else toast(t('moved', { n: done, action: t(`act.${action}`) }));
  return done > 0;
}

/** Asks which officer, then gives the alert (with wholeCase, its whole case) to that officer. */
export async function assign(alertId, wholeCase) {
  const { officers } = await api('/api/officers');
  // Every officer; one whose key does not cover the alert's branch is refused by the API, which says why.
  const choices = officers.map(o => [o.name, o.branch ? `${o.name} (${o.branch})` : o.name]);
  if (choices.length === 0) {
    toast(t('noOfficers'), 'error');
    return false;
  }
  const answer = await ask({ title: t('assign'), choices, choiceLabel: t('officer'), reasonLabel: t('reason'), confirm: t('assign') });
  if (!answer) return false;
  try {
    const r = await api(`/api/alerts/${encodeURIComponent(alertId)}/assign${wholeCase ? '?case=true' : ''}`, { method: 'POST', body: { officer: answer.choice, ...(answer.reason ? { reason: answer.reason } : {}) } });
    toast(t('assigned', { n: r.assignments.length, officer: answer.choice }));
    return true;
  } catch (e) {
    toast(e.message, 'error');
    return false;
  }
}
