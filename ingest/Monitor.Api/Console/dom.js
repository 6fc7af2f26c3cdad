// Building the page from data without ever parsing data as HTML: every text goes in as a text node, so an id or a
// reason that holds markup is shown, never run (the content security policy forbids inline script besides).
import { t } from './i18n.js';

/** An element: h('a', {href: '#/x', class: 'c', onclick: f, 'data-id': 1}, 'text', child, [more]). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAll(el, attrs);
  append(el, children);
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element, attributes as given. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  append(el, children);
  return el;
}

function setAll(el, attrs) {
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** A select: options as [value, label] pairs; the current value selected. */
export function select(attrs, options, current) {
  return h('select', attrs, options.map(([v, label]) => h('option', { value: v, selected: v === (current ?? '') }, label)));
}

/** A labelled field: the label above its control. */
export function field(label, control) {
  return h('label', { class: 'field' }, h('span', null, label), control);
}

/** A short message at the top of the page that goes away by itself. */
export function toast(message, kind = 'ok') {
  const box = document.getElementById('toasts');
  const el = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  box.append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 8000 : 4000);
}

/**
 * A modal dialog asking for a reason (and, with choices, one of them): resolves to {reason, choice}, or null when
 * cancelled. A required reason keeps the confirm button disabled until one is typed.
 */
export function ask({ title, text, reasonLabel, required = false, choices = null, choiceLabel = '', confirm }) {
  return new Promise(resolve => {
    const reason = h('textarea', { id: 'dialog-reason', rows: 3, maxlength: 2000, required });
    const choice = choices ? select({ id: 'dialog-choice' }, choices, choices[0]?.[0]) : null;
    const ok = h('button', { type: 'submit', class: 'primary', id: 'dialog-confirm' }, confirm);
    const cancel = h('button', { type: 'button', id: 'dialog-cancel' }, t('cancel'));
    const update = () => { ok.disabled = required && reason.value.trim() === ''; };
    reason.addEventListener('input', update);
    const form = h('form', { method: 'dialog' },
      h('h2', null, title),
      text ? h('p', { class: 'prose' }, text) : null,
      choice ? field(choiceLabel, choice) : null,
      field(reasonLabel + (required ? ` (${t('required')})` : ` (${t('optional')})`), reason),
      h('div', { class: 'buttons' }, cancel, ok));
    const dlg = h('dialog', { class: 'ask' }, form);
    const done = value => { dlg.close(); dlg.remove(); resolve(value); };
    form.addEventListener('submit', e => { e.preventDefault(); if (!ok.disabled) done({ reason: reason.value.trim(), choice: choice?.value ?? null }); });
    cancel.addEventListener('click', () => done(null));
    dlg.addEventListener('cancel', e => { e.preventDefault(); done(null); });
    document.body.append(dlg);
    update();
    dlg.showModal();
    (choice ?? reason).focus();
  });
}

/** Saves bytes as a file the browser downloads. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
