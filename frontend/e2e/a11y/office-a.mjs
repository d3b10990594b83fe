// Routes of the "office-a" group checked by e2e/a11y.test.mjs (see its header for an entry's fields):
// the office frame (desktop, not-found) and the 公文 family — 公文, 印制, 档案, 流程定义,
// 电子印章, 请假, 三员管理, 工作日历, 消息提醒 — each as the demo user who works with it,
// lists and details with real ids from the demo data, and the forms in their dialogs
// and second tabs opened.

/** The first item of a list answer (items, or a named array) matching pick, or a failure naming what was missing. */
async function first(ctx, user, path, pick = () => true, key = 'items') {
  const list = (await ctx.api(user, 'GET', path))[key] ?? []
  const found = list.find(pick)
  if (!found) throw new Error(`no demo entry at ${path} for ${user}`)
  return found
}

const enc = encodeURIComponent
const tab = (name) => ({ open: `#tab-${name}`, shows: `#pane-${name}` })

// Ids read once per run (the group runs at two widths).
const ids = {}
const once = (key, fn) => async (ctx) => (ids[key] ??= await fn(ctx))

const taskDoc = once('taskDoc', async (ctx) => `/office/documents/${enc((await first(ctx, 'chuzhang', '/tasks')).documentId)}`)
const completedDoc = once('completedDoc', async (ctx) =>
  `/office/documents/${enc((await first(ctx, 'chuzhang', '/documents?direction=outgoing&state=completed')).id)}`,
)
const draftDoc = once('draftDoc', async (ctx) => `/office/documents/${enc((await first(ctx, 'staff', '/documents?state=draft')).id)}`)
const printJob = (state) =>
  once(`print-${state}`, async (ctx) => `/office/print/jobs/${enc((await first(ctx, 'printer', '/print/jobs', (j) => j.state === state)).id)}`)
const archiveRecord = once('record', async (ctx) =>
  `/office/archive/records/${enc((await first(ctx, 'archivist', '/archive/records', (r) => r.status === 'valid')).id)}`,
)
const flow = once('flow', async (ctx) => `/office/flows/${enc((await first(ctx, 'officeadmin', '/flows', () => true, 'flows')).key)}`)

export default [
  // The frame: the desktop (to-do, to-read, panels) and a page that does not exist.
  { label: '个人桌面', path: '/office', user: 'chuzhang' },
  { label: '页面不存在', path: '/office/no-such-page', user: 'staff', ready: '[data-testid=not-found]' },

  // 公文: the task list and the three lists, drafting, 收文登记, 公文查询, a document.
  { label: '公文：我的待办', path: '/office/documents', user: 'chuzhang' },
  { label: '公文：发文', path: '/office/documents?tab=outgoing', user: 'chuzhang' },
  { label: '公文：收文', path: '/office/documents?tab=incoming', user: 'clerk' },
  { label: '公文：草稿', path: '/office/documents?tab=draft', user: 'staff' },
  { label: '起草公文', path: '/office/documents/new', user: 'staff', ready: '[data-testid=doc-form]' },
  { label: '收文登记', path: '/office/documents/new?direction=incoming', user: 'clerk', ready: '[data-testid=doc-form]' },
  { label: '公文查询', path: '/office/documents/search', user: 'chuzhang' },
  { label: '公文：办理中（待办）', path: taskDoc, user: 'chuzhang', ready: '[data-testid=task-transfer]' },
  { label: '公文：转办', path: taskDoc, user: 'chuzhang', ready: '[data-testid=task-transfer]', open: '[data-testid=task-transfer]' },
  { label: '公文：已办结', path: completedDoc, user: 'chuzhang' },
  { label: '公文：草稿', path: draftDoc, user: 'staff' },
  { label: '修改公文', path: async (ctx) => `${await draftDoc(ctx)}/edit`, user: 'staff', ready: '[data-testid=doc-form]' },

  // 印制: the print room's queue, a job (and its plan), a department's own jobs.
  { label: '印制队列', path: '/office/print', user: 'printer' },
  { label: '印制任务', path: printJob('claimed'), user: 'printer' },
  { label: '印制任务：份数与场所', path: printJob('queued'), user: 'printer', open: '[data-testid=print-job-plan]' },
  { label: '我的印制', path: '/office/print/mine', user: 'chuzhang' },

  // 档案: the catalogue, a record (and its 撤销/废止), the appraisal list (empty until a retention runs out: its 鉴定 dialog is the same form as 撤销/废止's).
  { label: '档案目录', path: '/office/archive', user: 'archivist' },
  { label: '档案', path: archiveRecord, user: 'archivist' },
  { label: '档案：撤销/废止', path: archiveRecord, user: 'archivist', open: '[data-testid=record-void]' },
  { label: '档案鉴定', path: '/office/archive/appraisal', user: 'archivist' },

  // 流程定义 and 工作日历: the business administrator keeps them; everyone reads the calendar.
  { label: '流程定义', path: '/office/flows', user: 'officeadmin' },
  { label: '编辑流程', path: flow, user: 'officeadmin' },
  { label: '工作日历（修改）', path: '/office/calendar', user: 'officeadmin', open: '[data-testid=calendar-edit]', shows: 'main' },
  { label: '工作日历', path: '/office/calendar', user: 'chuzhang' },

  // 电子印章: verification for everyone, the keys for the security administrator.
  { label: '电子印章：验章', path: '/office/seal', user: 'staff' },
  { label: '电子印章：印章管理', path: '/office/seal', user: 'secadmin', ...tab('keys') },

  // 请假: the form and one's own requests; the head's approvals.
  { label: '请假', path: '/office/leave', user: 'chuzhang' },
  { label: '请假：待我审批', path: '/office/leave', user: 'chuzhang', ...tab('approvals') },

  // 三员管理: the officers' console, each page as the officer who uses it.
  { label: '三员管理', path: '/office/admin', user: 'sysadmin' },
  { label: '用户管理', path: '/office/admin/users', user: 'sysadmin' },
  { label: '用户管理：新建用户', path: '/office/admin/users', user: 'sysadmin', open: '[data-testid=user-new]' },
  { label: '用户管理：编辑', path: '/office/admin/users', user: 'sysadmin', open: '[data-testid=user-edit]:visible' },
  { label: '用户管理：重置密码', path: '/office/admin/users', user: 'sysadmin', open: '[data-testid=user-reset]:visible' },
  { label: '处室与岗位', path: '/office/admin/org', user: 'sysadmin' },
  { label: '处室与岗位：新建处室', path: '/office/admin/org', user: 'sysadmin', open: '[data-testid=dept-new]' },
  { label: '处室与岗位：新建岗位', path: '/office/admin/org', user: 'sysadmin', open: '[data-testid=post-new]' },
  { label: '授权与密级', path: '/office/admin/grants', user: 'secadmin' },
  { label: '安全策略', path: '/office/admin/policy', user: 'secadmin' },
  { label: '三员账号变更', path: '/office/admin/changes', user: 'sysadmin' },
  { label: '审计日志', path: '/office/admin/audit', user: 'auditor' },

  // 消息提醒: the inbox, its settings, and the header bell's list.
  { label: '消息提醒', path: '/office/notifications', user: 'chuzhang' },
  { label: '消息提醒：提醒设置', path: '/office/notifications', user: 'chuzhang', ...tab('prefs') },
  { label: '消息提醒：铃铛', path: '/office', user: 'chuzhang', open: '[data-testid=notify-bell]', shows: '[data-testid=notify-latest]' },
]
