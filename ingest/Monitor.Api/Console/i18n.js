// Every text of the console in Chinese (the default: the officers' language) and English, side by side so that one
// never goes without the other; the choice is kept in localStorage (a preference, not a secret).
const LANG_KEY = 'monitor.lang';
export const LANGS = ['zh-CN', 'en'];

const T = {
  brand: ['征信查询监控', 'Credit query monitor'],
  title: ['征信查询监控 · 工作台', 'Credit query monitor · console'],
  'nav.queue': ['告警队列', 'Alert queue'], 'nav.suspensions': ['暂停与恢复', 'Suspensions'], 'nav.branches': ['暂停阀门', 'Valve-stopped branches'],
  'nav.sheets': ['日核查表', 'Daily sheets'], 'nav.analysis': ['规则分析', 'Rule analysis'], 'nav.audit': ['审计日志', 'Audit log'],
  'role.officer': ['安全员', 'officer'], 'role.analyst': ['分析员', 'analyst'], 'role.auditor': ['审计员', 'auditor'], 'role.system': ['系统', 'system'],
  zone: ['时区 {zone}（UTC{offset}）', 'zone {zone} (UTC{offset})'],
  signout: ['退出', 'Sign out'], signin: ['登录', 'Sign in'],
  signinTitle: ['登录工作台', 'Sign in to the console'],
  signinText: ['请输入管理员为您生成的 API 密钥（./monitor api-key）。安全员处理告警，分析员查看规则效果，审计员查阅审计日志。', 'Enter the API key an administrator made for you (./monitor api-key). Officers work the alerts, analysts study the rules, auditors read the audit log.'],
  signinKeep: ['密钥只保存在本浏览器标签页中，关闭标签页或退出后即清除。', 'The key is kept in this browser tab only, and forgotten when the tab closes or you sign out.'],
  apiKey: ['API 密钥', 'API key'], keyUnknown: ['密钥无效或已被撤销。', 'This key is not known, or it was revoked.'],
  loading: ['加载中…', 'Loading…'], loadFailed: ['无法加载：', 'Could not load:'],
  all: ['全部', 'all'], apply: ['查询', 'Apply'], cancel: ['取消', 'Cancel'], save: ['保存', 'Save'], required: ['必填', 'required'], optional: ['选填', 'optional'],
  rule: ['规则', 'Rule'], severity: ['严重程度', 'Severity'], state: ['状态', 'State'], branch: ['机构', 'Branch'], branchAndBelow: ['机构（含下级）', 'Branch (and below)'],
  user: ['用户', 'User'], users: ['用户', 'Users'], age: ['时长', 'Age'], anyAge: ['不限', 'any'], sort: ['排序', 'Sort'], day: ['日期', 'Day'], time: ['时间', 'Time'],
  'sev.critical': ['严重', 'critical'], 'sev.high': ['高', 'high'], 'sev.medium': ['中', 'medium'], 'sev.low': ['低', 'low'],
  'state.open': ['待处理', 'open'], 'state.acknowledged': ['已受理', 'acknowledged'], 'state.confirmed': ['已确认违规', 'confirmed'], 'state.dismissed': ['已排除', 'dismissed'],
  'age.within-1d': ['最近1天', 'last day'], 'age.within-7d': ['最近7天', 'last 7 days'], 'age.within-30d': ['最近30天', 'last 30 days'],
  'age.over-1d': ['超过1天', 'older than a day'], 'age.over-7d': ['超过7天', 'older than 7 days'],
  'sort.severity': ['按严重程度', 'by severity'], 'sort.newest': ['最新在前', 'newest first'], 'sort.oldest': ['最早在前', 'oldest first'], 'sort.size': ['告警最多在前', 'most alerts first'],
  case: ['案件', 'Case'], findings: ['发现', 'Findings'], explanation: ['说明', 'Explanation'], assignedTo: ['处理人', 'Assigned to'], lastSeen: ['最近发生', 'Last seen'],
  firstSeen: ['首次发生', 'First seen'], unassigned: ['未指派', 'unassigned'], assign: ['指派', 'Assign'], officer: ['安全员', 'Officer'],
  'kind.branch': ['机构日', 'branch-day'], 'kind.user': ['用户日', 'user-day'], caseKind: ['案件类型', 'Kind of case'],
  usersN: ['涉及 {n} 个用户', '{n} user|{n} users'], alertsN: ['{n} 条告警', '{n} alert|{n} alerts'], atBranch: ['所属机构', 'at'],
  selectAll: ['全选本页', 'Select the page'], selectedN: ['已选 {n} 个案件', '{n} case selected|{n} cases selected'], casesAlerts: ['{cases} 个案件，共 {alerts} 条告警', '{cases} case(s), {alerts} alert(s)'], listSep: ['、', ', '],
  noCases: ['没有符合条件的案件。', 'No case matches.'], prev: ['上一页', 'Previous'], next: ['下一页', 'Next'],
  pageOf: ['第 {page}/{pages} 页 · 共 {cases} 个案件（{alerts} 条告警）', 'Page {page} of {pages} · {cases} cases ({alerts} alerts)'],
  truncated: ['告警过多，只显示最新的部分；请缩小筛选范围。', 'Too many alerts: only the newest are grouped; narrow the filters.'],
  'act.acknowledge': ['受理', 'Acknowledge'], 'act.confirm': ['确认违规', 'Confirm violation'], 'act.dismiss': ['排除（误报）', 'Dismiss (false alert)'],
  'act.acknowledge.text': ['受理 {what} 中 {n} 条待处理的告警。', 'Acknowledge the {n} open alerts of {what}.'],
  'act.confirm.text': ['将 {what} 中 {n} 条告警确认为违规（记入分析标签）。', 'Confirm {n} alerts of {what} as violations (kept as labels for tuning).'],
  'act.dismiss.text': ['将 {what} 中 {n} 条告警作为误报排除，必须说明原因（记入审计日志）。', 'Dismiss {n} alerts of {what} as false alerts; the reason is required and goes into the audit log.'],
  'case.acknowledge': ['受理整个案件', 'Acknowledge the case'], 'case.confirm': ['整个案件确认违规', 'Confirm the whole case'], 'case.dismiss': ['整个案件排除', 'Dismiss the whole case'],
  reason: ['原因', 'Reason'], nothingToMove: ['没有可以“{action}”的告警。', 'No alert here can be moved to “{action}”.'],
  moved: ['已{action} {n} 条告警。', '{action}: {n} alerts done.'], moveFailed: ['完成 {done} 条，失败 {failed} 条：{first}', '{done} done, {failed} failed: {first}'],
  noOfficers: ['设置中没有安全员密钥。', 'The settings hold no officer key.'], assigned: ['已将 {n} 条告警指派给 {officer}。', '{n} alerts assigned to {officer}.'],
  alertTitle: ['告警', 'Alert'], entity: ['对象', 'Entity'], 'entity.user': ['用户', 'user'], 'entity.branch': ['机构', 'branch'], 'entity.employee': ['员工', 'employee'],
  'entity.terminal': ['终端', 'terminal'], 'entity.subject': ['被查询主体', 'subject'], findingsCount: ['发现次数', 'Findings'], score: ['评分', 'Score'],
  suspension: ['暂停', 'Suspension'], suspendRequested: ['本告警要求暂停该用户的查询权限', 'this alert asks for the user\'s suspension'],
  evidence: ['证据事件', 'Evidence events'], evidenceMissing: ['另有 {n} 条证据事件不在内存中（监控启动后每个用户只保留最近 50 条）：{ids}', '{n} more evidence events are not held in memory (the last 50 per user since the monitor started): {ids}'],
  timelineOf: ['用户 {user} 的时间线', 'Timeline of user {user}'], noUserTimeline: ['机构告警没有用户时间线；请打开案件中某个用户的告警。', 'A branch\'s alert has no user timeline: open one of its users\' alerts.'],
  caseAlerts: ['案件中的告警（{n}）', 'Alerts of the case ({n})'], notes: ['备注', 'Notes'], noNotes: ['还没有备注。', 'No notes yet.'], addNote: ['添加备注', 'Add a note'], noteAdded: ['备注已保存。', 'Note saved.'],
  'chart.reads': ['每日查询量与平时水平', 'Reads per day against the usual level'], 'chart.readsN': ['查询 {n} 次', '{n} reads'], 'chart.usualN': ['平时 {n} 次', 'usual {n}'],
  'chart.legendReads': ['当日查询量', 'reads that day'], 'chart.legendUsual': ['平时水平', 'usual level'], 'chart.legendMark': ['告警当日', 'day of the alert'],
  chartCaption: ['平时水平：此前最多 {window} 个活跃日查询量的中位数（至少需 3 天）。日期为本行时区的自然日。', 'Usual level: the median of up to {window} earlier active days (3 at least). Days are local days in the bank\'s zone.'],
  noDays: ['该用户还没有已结束的日数据。', 'No closed day of this user yet.'], recentEvents: ['最近事件', 'Recent events'], noRecentEvents: ['监控启动后还没有该用户的事件。', 'No event of this user since the monitor started.'],
  since: ['开始时间', 'Since'], suspended: ['暂停中', 'suspended'], reinstated: ['已恢复', 'reinstated'], endedBy: ['恢复人', 'Ended by'], neverSuspended: ['监控从未暂停该用户。', 'The monitor never suspended this user.'],
  'ev.occurredAt': ['时间', 'Time'], 'ev.type': ['类型', 'Type'], 'ev.purpose': ['查询用途', 'Purpose'], 'ev.outcome': ['结果', 'Outcome'], 'ev.channel': ['渠道', 'Channel'],
  'ev.subjectType': ['主体类型', 'Subject type'], 'ev.subjectId': ['被查询主体（化名）', 'Subject (pseudonym)'], 'ev.authorizationId': ['授权书', 'Authorization'], 'ev.terminalId': ['终端', 'Terminal'],
  'sus.active': ['暂停中', 'in force'], 'sus.ended': ['已结束', 'ended'], 'sus.all': ['全部', 'all'], noSuspensions: ['没有暂停记录。', 'No suspension.'],
  reinstate: ['恢复权限', 'Reinstate'], reinstateText: ['恢复用户 {user}（{branch}）的征信查询权限。原因必填，记入审计日志并通知该机构。', 'Reinstate the credit query permission of {user} ({branch}). The reason is required; it goes into the audit log and to the branch.'],
  reinstatedSent: ['已恢复 {user}，恢复指令已发送。', '{user} reinstated; the command was sent.'], reinstatedUnsent: ['已恢复 {user}，但指令暂未送达 Kafka，将在下次启动时发送。', '{user} reinstated, but the command did not reach Kafka; it is sent on the next start.'],
  valveText: ['一小时内自动暂停过多时，安全阀停止该机构的自动暂停（更可能是故障而非集体违规）。查明原因后可重新开启。', 'When too many automatic suspensions happen in a branch within an hour, the safety valve stops them there (a fault is likelier than a branch of insiders). Reopen once the cause is understood.'],
  queueOfBranch: ['该机构的告警', 'Its alerts'], openCases: ['查看案件', 'open cases'], reopen: ['重新开启自动暂停', 'Reopen'], noShutBranches: ['没有被安全阀停止的机构。', 'No branch is stopped.'],
  reopenText: ['重新开启机构 {branch} 的自动暂停。原因必填，记入审计日志。', 'Let automatic suspension resume in branch {branch}. The reason is required; it goes into the audit log.'], reopened: ['已重新开启 {branch}。', '{branch} reopened.'],
  from: ['起始日', 'From'], to: ['截止日', 'To'], 'sheet.all': ['全部', 'all'], 'sheet.unsigned': ['未签核', 'unsigned'], 'sheet.signed': ['已签核', 'signed'], 'sheet.escalated': ['已上报', 'escalated'],
  signedBy: ['签核人', 'Signed by'], escalation: ['上报', 'Escalation'], 'esc.none': ['无', 'none'], 'esc.parent': ['上级行', 'parent branch'], 'esc.head-office': ['总行', 'head office'],
  unsigned: ['未签核', 'unsigned'], openSheet: ['打开', 'open'], noSheets: ['没有符合条件的日核查表。', 'No sheet matches.'],
  sheetTitle: ['{branch} {day} 日核查表', 'Daily sheet of {branch} for {day}'], note: ['签核意见', 'Note'], registerFeed: ['查询审批登记簿', 'Approval register'],
  'register.present': ['已接入', 'present'], 'register.missing': ['未接入（请人工核对纸质登记簿）', 'missing (reconcile the paper register by hand)'],
  undecided: ['待核查项', 'Items without verdict'], reportXlsx: ['下载报表（Excel）', 'Report (Excel)'], reportHtml: ['下载报表（网页）', 'Report (web page)'],
  spotChecksLegitimate: ['其余抽查项均合规', 'Remaining spot checks legitimate'], spotChecksText: ['将所有尚无结论的抽查项判定为合规。', 'Give every spot check without a verdict the verdict legitimate.'],
  sign: ['签核', 'Sign'], signText: ['签核 {branch} {day} 的日核查表。签核后各发现的结论将自动处理对应告警。', 'Sign the sheet of {branch} for {day}. Each finding\'s verdict then settles its alert.'], signed: ['已签核。', 'Signed.'],
  sheetUsers: ['用户查询', 'Users'], sheetItems: ['核查项（{n}）', 'Items ({n})'], employee: ['员工号', 'Employee'], total: ['合计', 'Total'],
  'col.readsTotal': ['查询合计', 'Reads'], 'col.needingAuthorization': ['需授权', 'Needing auth.'], 'col.authorized': ['已授权', 'Authorized'], 'col.offHours': ['非工作时间', 'Off hours'],
  'col.refused': ['查询失败', 'Refused'], 'col.logins': ['登录', 'Logins'], 'col.loginFailures': ['登录失败', 'Failed logins'], 'col.accountChanges': ['账户变更', 'Account changes'], 'col.findings': ['发现', 'Findings'],
  kind: ['类别', 'Kind'], what: ['内容', 'What'], verdict: ['核查结论', 'Verdict'], 'item.finding': ['发现', 'finding'], 'item.spot-check': ['抽查', 'spot check'],
  'verdict.legitimate': ['合规', 'legitimate'], 'verdict.violation': ['违规', 'violation'], noVerdict: ['未核查', 'no verdict'], giveVerdict: ['核查', 'Verdict'], correct: ['更正', 'Correct'],
  corrected: ['已更正 {n} 次', 'corrected {n}×'], authorization: ['授权书', 'authorization'], none: ['无', 'none'],
  analysisText: ['各规则每日告警数（实时规则，来自告警库）。选择候选方案的告警文件（试运行 --candidate 的候选主题导出，或用候选设置重放的 alerts.jsonl）即可并排比较；文件只在本浏览器中读取，不上传。', 'Alerts per rule per day under the live settings (from the alert store). Choose a candidate\'s alerts file (a flight\'s candidate topic, or alerts.jsonl of a replay under the candidate settings) to compare side by side; the file is read in this browser only, never uploaded.'],
  candidateFile: ['候选方案告警文件', 'Candidate alerts file'], candidateRead: ['已读取候选方案 {name}：{n} 条告警。', 'Candidate {name} read: {n} alerts.'], candidateBad: ['无法读取该文件：{why}', 'Cannot read that file: {why}'],
  candidateIs: ['候选方案：{name}（试运行：{flights}）', 'Candidate: {name} (flight: {flights})'], noCandidate: ['尚未选择候选方案。', 'No candidate chosen.'],
  live: ['实时', 'live'], candidate: ['候选', 'candidate'], difference: ['差异', 'difference'], perDay: ['每日（{from} 至 {to}）', 'per day ({from} to {to})'],
  noAlertsInRange: ['该时间段内没有告警。', 'No alert in this range.'], lineNotJson: ['第 {line} 行不是 JSON', 'line {line} is not JSON'], noAlertsInFile: ['文件中没有告警', 'the file holds no alert'],
  actor: ['操作人', 'Actor'], action: ['操作', 'Action'], target: ['对象', 'Target'], targetStarts: ['对象（开头）', 'Target (starts with)'], detail: ['详情', 'Detail'],
  exportCsv: ['导出 CSV', 'Export CSV'], auditTotal: ['共 {n} 条符合条件的记录。', '{n} entries match.'], noAudit: ['没有符合条件的记录。', 'No entry matches.'],
  newest: ['最新', 'Newest'], older: ['更早', 'Older'], chainChecking: ['正在校验审计日志哈希链…', 'Checking the audit log\'s hash chain…'],
  chainIntact: ['审计日志完整：{rows} 条记录，链头 {head}…', 'Audit log intact: {rows} entries, chain head {head}…'], chainBroken: ['审计日志在第 {id} 条处被破坏：{why}', 'Audit log BROKEN at entry {id}: {why}'],
  'audit.acknowledge': ['受理', 'acknowledge'], 'audit.confirm': ['确认违规', 'confirm'], 'audit.dismiss': ['排除', 'dismiss'], 'audit.note': ['备注', 'note'], 'audit.assign': ['指派', 'assign'],
  'audit.suspend': ['自动暂停', 'suspend'], 'audit.reinstate': ['恢复权限', 'reinstate'], 'audit.valve-shut': ['安全阀停止', 'valve shut'], 'audit.valve-reopen': ['重新开启', 'valve reopened'],
  'audit.sheet-verdict': ['核查结论', 'sheet verdict'], 'audit.sheet-signed': ['日核查签核', 'sheet signed'], 'audit.sheet-correction': ['核查更正', 'sheet correction'],
  'audit.sheet-escalated': ['日核查上报', 'sheet escalated'], 'audit.suppression-create': ['创建抑制', 'suppression made'], 'audit.suppression-end': ['结束抑制', 'suppression ended'],
};

/** Rule ids in the API\'s order (RuleIds.All) with their names. */
const RULE_NAMES = {
  NO_AUTHORIZATION: ['无授权查询', 'No authorization'], QUERY_BEFORE_AUTHORIZATION: ['先查询后授权', 'Query before authorization'],
  OFF_HOURS: ['非工作时间查询', 'Off-hours query'], ADMIN_QUERY: ['管理员查询', 'Administrator query'], SHARED_ACCOUNT: ['账户共用', 'Shared account'],
  VOLUME_SPIKE: ['查询量异常', 'Volume spike'], REPEATED_SUBJECT: ['反复查询同一主体', 'Repeated subject'], POST_LOAN_ABUSE: ['贷后管理用途滥用', 'Post-loan abuse'],
  DORMANT_ACCOUNT: ['休眠账户查询', 'Dormant account'], KIOSK_OFF_HOURS: ['自助查询机非服务时间', 'Kiosk off hours'], LOGIN_FAILURES: ['登录失败过多', 'Login failures'],
  PASSWORD_AGE: ['密码长期未更换', 'Password age'], ROLE_CONFLICT: ['管理与查询岗位兼任', 'Role conflict'], REPEAT_RATIO: ['重复查询率过高', 'Repeat ratio'],
  BEHAVIOUR_OUTLIER: ['行为偏离', 'Behaviour outlier'], WINDOW_TERMINAL: ['窗口查询未用专机', 'Window terminal'], REGISTER_MISMATCH: ['与审批登记簿不符', 'Register mismatch'],
  LEAVER_ACCOUNT: ['离岗人员账户', 'Leaver account'], ADMIN_GOVERNANCE: ['管理员操作违规', 'Administrator governance'],
  POST_LOAN_CUMULATIVE: ['贷后管理查询累计异常', 'Post-loan cumulative'],
};
export const RULES = Object.keys(RULE_NAMES);

/** The contract\'s wire names (docs/contract.md) in its enums' order: events from an older API still carry the numbers. */
const WIRE = {
  type: ['query', 'login', 'account', 'register', 'employee'],
  purpose: ['loan_approval', 'credit_card_approval', 'guarantor_review', 'post_loan_management', 'merchant_verification', 'corporate_officer_review', 'dispute_handling', 'self_query', 'legal_authority'],
  outcome: ['success', 'failed', 'denied'],
  channel: ['counter', 'self_service_kiosk', 'batch', 'api'],
  subjectType: ['individual', 'enterprise'],
  userRole: ['query_operator', 'window_query', 'dispute_handler', 'user_admin', 'general_admin', 'super_admin'],
};
const WIRE_NAMES = {
  query: ['查询', 'query'], login: ['登录', 'login'], account: ['账户变更', 'account change'], register: ['登记簿', 'register entry'], employee: ['人事变动', 'HR change'],
  loan_approval: ['贷款审批', 'loan approval'], credit_card_approval: ['信用卡审批', 'credit card approval'], guarantor_review: ['担保资格审查', 'guarantor review'],
  post_loan_management: ['贷后管理', 'post-loan management'], merchant_verification: ['特约商户实名审查', 'merchant verification'],
  corporate_officer_review: ['法定代表人及高管资信审查', 'corporate officer review'], dispute_handling: ['异议处理', 'dispute handling'], self_query: ['本人查询', 'self query'],
  legal_authority: ['依法查询', 'legal authority'], unstated: ['未填写', 'unstated'],
  success: ['成功', 'success'], failed: ['失败', 'failed'], denied: ['拒绝', 'denied'],
  counter: ['柜面', 'counter'], self_service_kiosk: ['自助查询机', 'self-service kiosk'], batch: ['批量', 'batch'], api: ['接口', 'API'],
  individual: ['个人', 'individual'], enterprise: ['企业', 'enterprise'],
};

let lang = LANGS.includes(localStorage.getItem(LANG_KEY)) ? localStorage.getItem(LANG_KEY) : 'zh-CN';

export function getLang() { return lang; }
export function setLang(l) { lang = LANGS.includes(l) ? l : 'zh-CN'; localStorage.setItem(LANG_KEY, lang); }
const pick = pair => pair[lang === 'zh-CN' ? 0 : 1];

/** The text of <key> in the page\'s language with {name}s filled ("one|many" picked by {n}); an unknown key shows its last part (a new audit action). */
export function t(key, vars) {
  const pair = T[key];
  let text = pair ? pick(pair) : key.slice(key.indexOf('.') + 1);
  if (text.includes('|')) text = text.split('|')[vars?.n === 1 ? 0 : 1]; // English: one|many
  return vars ? text.replace(/\{(\w+)\}/g, (m, k) => (vars[k] ?? m)) : text;
}

export function ruleName(id) { return RULE_NAMES[id] ? pick(RULE_NAMES[id]) : id; }

/** An enum field of an event ({type, purpose, outcome, channel, subjectType, userRole}) by name: a wire name or an older API\'s number. */
export function wire(kind, value) {
  if (value === null || value === undefined) return '—';
  const name = typeof value === 'number' ? WIRE[kind]?.[value] ?? String(value) : value;
  return WIRE_NAMES[name] ? pick(WIRE_NAMES[name]) : name;
}

export function purposeName(p) { return p ? wire('purpose', p) : '—'; }

/** For tests and a check of completeness: every key with both languages. */
export const TEXTS = T;
