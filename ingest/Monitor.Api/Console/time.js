// Times as the bank reads them: in its zone (the settings' timeZone, Asia/Shanghai by default), whatever zone the
// officer's computer is set to, as yyyy-MM-dd HH:mm:ss; and the offset of that zone on a day, to send a day's start.
let zone = 'Asia/Shanghai';

export function setZone(z) { zone = z || 'Asia/Shanghai'; }
export function getZone() { return zone; }

function parts(date, options) {
  const out = {};
  for (const p of new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', ...options }).formatToParts(date)) out[p.type] = p.value;
  return out;
}

/** 2026-03-06 15:10:02 in the bank's zone; '' for nothing. */
export function fmtTime(iso) {
  if (!iso) return '';
  const p = parts(new Date(iso), { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** 15:10 in the bank's zone. */
export function fmtClock(iso) {
  const p = parts(new Date(iso), { hour: '2-digit', minute: '2-digit' });
  return `${p.hour}:${p.minute}`;
}

/** The zone's offset (+08:00) at noon UTC of day yyyy-MM-dd. */
export function offsetOn(day) {
  const name = parts(new Date(`${day}T12:00:00Z`), { timeZoneName: 'longOffset' }).timeZoneName ?? 'GMT';
  const m = /([+-]\d{2}):?(\d{2})/.exec(name);
  return m ? `${m[1]}:${m[2]}` : '+00:00';
}

/** The start of local day yyyy-MM-dd in the bank's zone, as ISO-8601 with offset (what the API's from/to take). */
export function dayStart(day) { return `${day}T00:00:00${offsetOn(day)}`; }

/** Today in the bank's zone, yyyy-MM-dd. */
export function today() {
  const p = parts(new Date(), { year: 'numeric', month: '2-digit', day: '2-digit' });
  return `${p.year}-${p.month}-${p.day}`;
}

/** Day yyyy-MM-dd moved by n days. */
export function addDays(day, n) {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
