// The console's shell: who is signed in (GET /api/me), the pages the role may see, the language switch, and the
// router that reads the address's #/page/args?filters so that a page can be reloaded, bookmarked and sent on.
import { api, signedIn, signOut } from './api.js';
import { h, clear } from './dom.js';
import { t, getLang, setLang } from './i18n.js';
import { setZone, offsetOn, today } from './time.js';
import * as signin from './pages/signin.js';
import * as queue from './pages/queue.js';
import * as alert from './pages/alert.js';
import * as suspensions from './pages/suspensions.js';
import * as branches from './pages/branches.js';
import * as sheets from './pages/sheets.js';
import * as sheet from './pages/sheet.js';
import * as analysis from './pages/analysis.js';
import * as audit from './pages/audit.js';

const PAGES = { queue, alert, suspensions, branches, sheets, sheet, analysis, audit };

/** The pages in the menu, per role: officers work, analysts tune, auditors read and export. */
const MENU = {
  officer: ['queue', 'suspensions', 'branches', 'sheets'],
  analyst: ['queue', 'analysis', 'suspensions', 'branches', 'sheets'],
  auditor: ['queue', 'suspensions', 'branches', 'sheets', 'analysis', 'audit'],
};
const HOME = { officer: 'queue', analyst: 'analysis', auditor: 'audit' };

let me = null;
let renders = 0; // pages rendered so far, on #main's data-renders: what a test waits on after navigating
const main = () => document.getElementById('main');

const ctx = {
  get me() { return me; },
  navigate(page, params = {}) {
    const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== undefined && v !== null)).toString();
    const hash = `#/${page}${q ? '?' + q : ''}`;
    if (location.hash === hash) route(); else location.hash = hash;
  },
  async signedIn(who) {
    me = who;
    setZone(me.timeZone);
    location.hash = `#/${HOME[me.role] ?? 'queue'}`;
    await route();
  },
};

function header() {
  const bar = clear(document.getElementById('bar'));
  const [page] = parse();
  bar.append(h('span', { class: 'brand' }, t('brand')));
  if (me) {
    bar.append(h('nav', null, (MENU[me.role] ?? ['queue']).map(p =>
      h('a', { href: `#/${p}`, class: p === page || (page === 'alert' && p === 'queue') || (page === 'sheet' && p === 'sheets') ? 'active' : '', 'data-nav': p }, t(`nav.${p}`)))));
  }
  bar.append(h('span', { class: 'spacer' }));
  if (me) bar.append(h('span', { class: 'who', id: 'who' }, `${me.name} · ${t(`role.${me.role}`)}${me.branch ? ' · ' + me.branch : ''}`),
    h('span', { class: 'zone', title: me.timeZone }, t('zone', { zone: me.timeZone, offset: offsetOn(today()) })));
  bar.append(h('button', { type: 'button', id: 'lang', class: 'link', lang: getLang() === 'zh-CN' ? 'en' : 'zh-CN', onclick: () => { setLang(getLang() === 'zh-CN' ? 'en' : 'zh-CN'); route(); } },
    getLang() === 'zh-CN' ? 'English' : '中文'));
  if (me) bar.append(h('button', { type: 'button', id: 'signout', class: 'link', onclick: () => { signOut(); me = null; location.hash = '#/signin'; } }, t('signout')));
}

function parse() {
  const [path, q] = location.hash.replace(/^#\/?/, '').split('?');
  const [page, ...args] = path.split('/').map(decodeURIComponent);
  return [page || '', args, new URLSearchParams(q ?? '')];
}

async function route() {
  document.documentElement.lang = getLang();
  document.title = t('title');
  if (!signedIn()) {
    me = null;
    header();
    signin.render(main(), new URLSearchParams(), ctx);
    main().dataset.renders = String(++renders);
    return;
  }
  if (!me) {
    try {
      me = await api('/api/me');
      setZone(me.timeZone);
    } catch {
      return; // a 401 went to the sign-in page
    }
  }
  let [page, args, params] = parse();
  if (!PAGES[page] || page === 'signin') {
    page = HOME[me.role] ?? 'queue';
    history.replaceState(null, '', `#/${page}`);
  }
  header();
  window.scrollTo(0, 0);
  await PAGES[page].render(main(), params, ctx, ...args);
  main().dataset.renders = String(++renders);
}

window.addEventListener('hashchange', route);
route();
