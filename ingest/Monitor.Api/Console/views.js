// Small pieces every page shows the same way: severity, state, rule, an explanation in the page's language, an id.
import { h } from './dom.js';
import { t, getLang, ruleName } from './i18n.js';

export function severity(sev) {
  return h('span', { class: `sev sev-${sev}`, title: sev }, t(`sev.${sev}`));
}

export function state(st) {
  return h('span', { class: `state state-${st}` }, t(`state.${st}`));
}

export function rule(id) {
  return h('span', { class: 'rule' }, ruleName(id), ' ', h('code', { class: 'muted' }, id));
}

/**
 * The alert's explanation in the page's language: the detectors' per-language text (explanations) when the alert has
 * it, else the one explanation it has.
 */
export function explanation(alert) {
  const byLang = alert.explanations ?? {};
  return byLang[getLang()] ?? byLang[getLang().slice(0, 2)] ?? alert.explanation ?? '';
}

/**
 * An id as the store knows it, with the name the bank's directory gives it beside it when the API answered one
 * (branchName, userName, employeeName; docs/console.md): "城东支行 SB0101". Without a name, the id alone.
 */
export function id(value, kind, name) {
  if (!value) return h('span', { class: 'muted' }, '—');
  if (!name) return h('span', { class: `id id-${kind ?? 'x'}` }, value);
  return h('span', { class: `id id-${kind ?? 'x'} named`, 'data-id': value }, h('span', { class: 'name' }, name), ' ', h('code', { class: 'muted' }, value));
}

export function link(href, ...children) {
  return h('a', { href }, ...children);
}

/** An error box in place of what could not be loaded. */
export function failure(e) {
  return h('div', { class: 'error', role: 'alert' }, t('loadFailed'), ' ', e.message ?? String(e));
}

/** A definition list of label → value pairs (values may be nodes). */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(p => p).map(([k, v]) => [h('dt', null, k), h('dd', null, v ?? '—')]));
}
