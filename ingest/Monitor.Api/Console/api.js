// The API with the signed-in key. The key lives in sessionStorage: this tab only, gone when it closes; never in a
// cookie (no request is sent with it unless this page sends it) and never in localStorage.
const KEY = 'monitor.key';

export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

export function signedIn() { return sessionStorage.getItem(KEY) !== null; }
export function signIn(key) { sessionStorage.setItem(KEY, key); }
export function signOut() { sessionStorage.removeItem(KEY); }

/** Calls the API: JSON in and out; {raw: true} gives the Response (files). A 401 signs out and goes to the sign-in page. */
export async function api(path, { method = 'GET', body, raw = false, key } = {}) {
  const headers = { Authorization: `Bearer ${key ?? sessionStorage.getItem(KEY) ?? ''}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'omit' });
  if (!r.ok) {
    let message = r.statusText;
    let field;
    try {
      const e = await r.json();
      message = e.error ?? message;
      field = e.field;
    } catch { /* not JSON */ }
    if (r.status === 401 && key === undefined) {
      signOut();
      location.hash = '#/signin';
    }
    throw new ApiError(r.status, message, field);
  }
  if (raw) return r;
  return r.status === 204 ? null : r.json();
}

/** A query string from the non-empty values of an object. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
