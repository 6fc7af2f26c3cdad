// Charts drawn as inline SVG, no library: a user's reads per day against the usual level, and a rule's alerts per
// day, live beside a candidate. Each scales to its box (viewBox) and names what it shows for screen readers.
import { s } from './dom.js';
import { t } from './i18n.js';

/** Round step for an axis of up to <max>: 1, 2, 5 times a power of ten, about four ticks. */
function step(max) {
  const raw = Math.max(1, max) / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map(m => m * p).find(v => v >= raw);
}

/**
 * Bars of reads per day, the usual level as a dashed line over them, the day of the alert in red.
 * points: [{day, reads, usual}] oldest first.
 */
export function readsChart(points, markDay) {
  const W = 760, H = 220, L = 44, R = 12, T = 14, B = 34;
  const max = Math.max(1, ...points.map(p => Math.max(p.reads, p.usual ?? 0)));
  const st = step(max);
  const top = Math.ceil(max / st) * st;
  const x = i => L + (i + 0.5) * (W - L - R) / points.length;
  const y = v => T + (H - T - B) * (1 - v / top);
  const bw = Math.max(2, Math.min(28, (W - L - R) / points.length * 0.7));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': t('chart.reads') },
    s('title', null, t('chart.reads')));
  for (let v = 0; v <= top; v += st) {
    svg.append(s('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }),
      s('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, String(v)));
  }
  const every = Math.ceil(points.length / 12);
  points.forEach((p, i) => {
    const bar = s('rect', { x: x(i) - bw / 2, y: y(p.reads), width: bw, height: Math.max(0, y(0) - y(p.reads)), class: p.day === markDay ? 'bar mark' : 'bar', 'data-day': p.day },
      s('title', null, `${p.day}: ${t('chart.readsN', { n: p.reads })}${p.usual === null ? '' : '; ' + t('chart.usualN', { n: fmt(p.usual) })}`));
    svg.append(bar);
    if (i % every === 0 || p.day === markDay) svg.append(s('text', { x: x(i), y: H - B + 16, 'text-anchor': 'middle', class: p.day === markDay ? 'tick mark' : 'tick' }, p.day.slice(5)));
  });
  const usual = points.map((p, i) => (p.usual === null ? null : `${x(i)},${y(p.usual)}`));
  let run = [];
  for (const pt of [...usual, null]) {
    if (pt) { run.push(pt); continue; }
    if (run.length > 1) svg.append(s('polyline', { points: run.join(' '), class: 'usual' }));
    else if (run.length === 1) svg.append(s('circle', { cx: run[0].split(',')[0], cy: run[0].split(',')[1], r: 2.5, class: 'usual-dot' }));
    run = [];
  }
  svg.append(
    s('rect', { x: L, y: H - 12, width: 10, height: 8, class: 'bar' }), s('text', { x: L + 14, y: H - 4, class: 'tick' }, t('chart.legendReads')),
    s('line', { x1: L + 130, x2: L + 152, y1: H - 8, y2: H - 8, class: 'usual' }), s('text', { x: L + 156, y: H - 4, class: 'tick' }, t('chart.legendUsual')),
    s('rect', { x: L + 300, y: H - 12, width: 10, height: 8, class: 'bar mark' }), s('text', { x: L + 314, y: H - 4, class: 'tick' }, t('chart.legendMark')));
  return svg;
}

function fmt(v) { return Number.isInteger(v) ? String(v) : v.toFixed(1); }

/**
 * A rule's alerts per day, live (dark) and candidate (light) side by side, over <days>; counts: {live: {day: n}, candidate: {day: n}}.
 */
export function pairBars(days, live, candidate) {
  const W = 360, H = 44, P = 2;
  const max = Math.max(1, ...days.map(d => Math.max(live[d] ?? 0, candidate?.[d] ?? 0)));
  const cw = (W - 2 * P) / Math.max(1, days.length);
  const bw = Math.max(1, cw / (candidate ? 2.4 : 1.4));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'spark', role: 'img' });
  days.forEach((d, i) => {
    const x0 = P + i * cw;
    const lh = (H - 4) * (live[d] ?? 0) / max;
    svg.append(s('rect', { x: x0, y: H - 2 - lh, width: bw, height: lh, class: 'live' }, s('title', null, `${d}: ${t('live')} ${live[d] ?? 0}`)));
    if (candidate) {
      const ch = (H - 4) * (candidate[d] ?? 0) / max;
      svg.append(s('rect', { x: x0 + bw, y: H - 2 - ch, width: bw, height: ch, class: 'cand' }, s('title', null, `${d}: ${t('candidate')} ${candidate[d] ?? 0}`)));
    }
  });
  svg.append(s('line', { x1: 0, x2: W, y1: H - 2, y2: H - 2, class: 'grid' }));
  return svg;
}
