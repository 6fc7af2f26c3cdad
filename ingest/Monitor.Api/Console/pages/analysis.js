// For analysts: alerts per rule per local day as the live settings raised them (GET /api/stats/rules), beside a
// candidate's: the alerts file of a flight (its alerts carry "flight": name, docs/tuning.md) or of a replay under the
// candidate settings, read in the browser from the analyst's own disk (it never goes to the server). Each alert counts
// once however many revisions the file holds, as the store keeps one row per alert.
import { api, query } from '../api.js';
import { h, clear, field, toast } from '../dom.js';
import { t, ruleName } from '../i18n.js';
import { today, addDays } from '../time.js';
import { pairBars } from '../chart.js';
import * as v from '../views.js';

let candidate = null; // {name, flights, counts: {rule: {day: n}}, ids}: kept while the console is open

export async function render(main, params, ctx) {
  const to = params.get('to') || today();
  const from = params.get('from') || addDays(to, -30);
  const file = h('input', { type: 'file', id: 'candidate-file', accept: '.jsonl,.json,.txt' });
  const form = h('form', { class: 'filters' },
    field(t('from'), h('input', { type: 'date', name: 'from', value: from })),
    field(t('to'), h('input', { type: 'date', name: 'to', value: to })),
    h('button', { type: 'submit', class: 'primary' }, t('apply')),
    field(t('candidateFile'), file));
  form.addEventListener('submit', e => { e.preventDefault(); ctx.navigate('analysis', Object.fromEntries(new FormData(form))); });
  file.addEventListener('change', async () => {
    if (!file.files.length) return;
    try {
      candidate = await readCandidate(file.files[0]);
      toast(t('candidateRead', { n: candidate.ids, name: candidate.name }));
    } catch (e) {
      toast(t('candidateBad', { why: e.message }), 'error');
    }
    await render(main, params, ctx);
  });
  const body = h('div', { class: 'loading' }, t('loading'));
  clear(main).append(h('h1', null, t('nav.analysis')), h('p', { class: 'prose muted' }, t('analysisText')), form, body);
  let stats;
  try {
    stats = await api('/api/stats/rules' + query({ from, to }));
  } catch (e) {
    clear(body).append(v.failure(e));
    return;
  }
  clear(body).className = '';
  const days = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  const live = {};
  for (const r of stats.days) (live[r.rule] ??= {})[r.day] = r.alerts;
  const cand = candidate ? Object.fromEntries(Object.entries(candidate.counts).map(([r, byDay]) => [r, Object.fromEntries(Object.entries(byDay).filter(([d]) => d >= from && d <= to))])) : null;
  const rules = [...new Set([...Object.keys(live), ...Object.keys(cand ?? {})])].sort();
  const sum = o => Object.values(o ?? {}).reduce((a, b) => a + b, 0);
  body.append(
    candidate ? h('p', { id: 'candidate-name' }, t('candidateIs', { name: candidate.name, flights: candidate.flights.join(', ') || '—' })) : h('p', { class: 'muted' }, t('noCandidate')),
    h('table', { id: 'rule-days' },
      h('thead', null, h('tr', null, h('th', null, t('rule')), h('th', { class: 'num' }, t('live')), cand ? h('th', { class: 'num' }, t('candidate')) : null, cand ? h('th', { class: 'num' }, t('difference')) : null,
        h('th', null, t('perDay', { from, to })))),
      h('tbody', null, rules.length ? rules.map(r => h('tr', { 'data-rule': r },
        h('td', null, v.rule(r)),
        h('td', { class: 'num' }, String(sum(live[r]))),
        cand ? h('td', { class: 'num' }, String(sum(cand[r]))) : null,
        cand ? h('td', { class: 'num' }, signed(sum(cand[r]) - sum(live[r]))) : null,
        h('td', null, pairBars(days, live[r] ?? {}, cand ? (cand[r] ?? {}) : null))))
        : h('tr', null, h('td', { colspan: 5, class: 'empty' }, t('noAlertsInRange'))))),
    h('p', { class: 'legend small' }, h('span', { class: 'swatch live' }), ' ', t('live'), '  ', cand ? [h('span', { class: 'swatch cand' }), ' ', t('candidate')] : null));
}

function signed(n) { return n > 0 ? `+${n}` : String(n); }

/** Reads an alerts file (JSON lines; a JSON array too): distinct alert ids per rule and day, and the flights named. */
async function readCandidate(f) {
  const text = (await f.text()).trim();
  const rows = text.startsWith('[') ? JSON.parse(text) : text.split(/\r?\n/).filter(l => l.trim()).map((l, i) => {
    try { return JSON.parse(l); } catch { throw new Error(t('lineNotJson', { line: i + 1 })); }
  });
  const seen = new Set();
  const counts = {};
  const flights = new Set();
  for (const a of rows) {
    if (!a || typeof a.alertId !== 'string' || typeof a.rule !== 'string' || typeof a.day !== 'string') continue;
    if (a.flight) flights.add(a.flight);
    if (seen.has(a.alertId)) continue;
    seen.add(a.alertId);
    (counts[a.rule] ??= {})[a.day] = ((counts[a.rule] ?? {})[a.day] ?? 0) + 1;
  }
  if (seen.size === 0) throw new Error(t('noAlertsInFile'));
  return { name: f.name, flights: [...flights], counts, ids: seen.size };
}
