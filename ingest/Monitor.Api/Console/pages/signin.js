// Signing in: the key an administrator made with ./monitor api-key (or the demo printed), checked against the API
// before it is kept; it stays in this tab's sessionStorage until the tab closes or the officer signs out.
import { api, signIn } from '../api.js';
import { h, clear, field } from '../dom.js';
import { t } from '../i18n.js';

export function render(main, params, ctx) {
  const key = h('input', { type: 'password', id: 'key', name: 'key', autocomplete: 'off', spellcheck: 'false', required: true, size: 50 });
  const error = h('p', { class: 'error', id: 'signin-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'signin', id: 'signin' },
    h('h1', null, t('signinTitle')),
    h('p', { class: 'prose' }, t('signinText')),
    field(t('apiKey'), key),
    error,
    h('button', { type: 'submit', class: 'primary' }, t('signin')),
    h('p', { class: 'prose muted small' }, t('signinKeep')));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    error.hidden = true;
    try {
      const me = await api('/api/me', { key: key.value.trim() });
      signIn(key.value.trim());
      await ctx.signedIn(me);
    } catch (err) {
      error.hidden = false;
      error.textContent = err.status === 401 ? t('keyUnknown') : err.message;
    }
  });
  clear(main).append(form);
  key.focus();
}
