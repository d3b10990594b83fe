// Routes of the "office-b" group checked by e2e/a11y.test.mjs (see its header for an entry's fields):
// 会议, 值班, 领导活动, 信息, 信息发布, 邮件, 论坛, 消息, 个人助理, 视频点播 — each list,
// a detail with a real id from the demo, and the routes that are forms, as the
// demo accounts that use them. Tabs reached by ?tab= are checked one by one.

const first = (page, what) => {
  const it = (page.items ?? page)[0]
  if (!it) throw new Error(`the demo has no ${what}`)
  return it
}

// The editor console's API lives beside the office's (/api/portal/v1/manage);
// ctx.api speaks only the office's, so go up to it from there.
const manage = (ctx, user, path) => ctx.api(user, 'GET', `/../../portal/v1/manage${path}`)

const meeting = async (ctx) => first(await ctx.api('huiwu', 'GET', '/meetings?size=5&scope=all'), 'meeting').id
const infoItem = async (ctx) => first(await ctx.api('editor', 'GET', '/info/items?size=5'), 'info item').id
const portalDoc = async (ctx) => first(await manage(ctx, 'editor', '/documents?size=5'), 'portal document').id
const mailEntry = async (ctx) => first(await ctx.api('reviewer', 'GET', '/mail/entries?size=5&folder=inbox'), 'mail').id
// A mail opened by its message (the link a notice carries).
const mailMessage = async (ctx) => first(await ctx.api('reviewer', 'GET', '/mail/entries?size=5&folder=inbox'), 'mail').message
const forumBoard = async (ctx) => first(await ctx.api('staff', 'GET', '/forum/boards'), 'forum board').id
const forumThread = async (ctx) => {
  const board = await forumBoard(ctx)
  return first(await ctx.api('staff', 'GET', `/forum/boards/${encodeURIComponent(board)}/threads?size=5`), 'forum thread').id
}
const chat = async (ctx) => first(await ctx.api('editor', 'GET', '/chat/chats'), 'chat').chat.id
const video = async (ctx) => first(await ctx.api('staff', 'GET', '/videos?size=5'), 'video').id

const enc = encodeURIComponent

export default [
  // 会议
  { label: '会议列表', path: '/office/meetings', user: 'huiwu' },
  { label: '预订会议', path: '/office/meetings/new', user: 'huiwu', ready: 'form' },
  { label: '会议详情', path: async (ctx) => `/office/meetings/${enc(await meeting(ctx))}`, user: 'huiwu' },
  { label: '会议排座', path: async (ctx) => `/office/meetings/${enc(await meeting(ctx))}/seating`, user: 'huiwu' },
  { label: '会议列表（参会人）', path: '/office/meetings', user: 'staff' },

  // 值班
  { label: '值班表', path: '/office/duty', user: 'zhibanzhuren' },
  { label: '调班', path: '/office/duty?tab=swaps', user: 'zhibanzhuren' },
  { label: '值班月报', path: '/office/duty?tab=summary', user: 'zhibanzhuren' },
  { label: '值班记录', path: '/office/duty?tab=log', user: 'zhiban1' },
  { label: '交接班', path: '/office/duty?tab=handover', user: 'zhiban1' },

  // 领导活动
  { label: '领导活动周安排', path: '/office/schedule', user: 'director' },
  { label: '报送活动', path: '/office/schedule?tab=submit', user: 'chuzhang' },
  { label: '编排审定', path: '/office/schedule?tab=compile', user: 'clerk' },
  { label: '领导名单', path: '/office/schedule?tab=leaders', user: 'clerk' },
  { label: '领导活动变更记录', path: '/office/schedule?tab=changes', user: 'clerk' },
  { label: '领导活动统计', path: '/office/schedule?tab=stats', user: 'clerk' },

  // 信息
  { label: '信息列表', path: '/office/info', user: 'editor' },
  { label: '全办信息平台', path: '/office/info?scope=office', user: 'editor' },
  { label: '撰写信息', path: '/office/info/new', user: 'editor', ready: 'form' },
  { label: '信息详情', path: async (ctx) => `/office/info/items/${enc(await infoItem(ctx))}`, user: 'editor' },
  { label: '编辑信息', path: async (ctx) => `/office/info/items/${enc(await infoItem(ctx))}/edit`, user: 'editor', ready: 'form' },
  { label: '自动发布规则', path: '/office/info/rules', user: 'secadmin' },
  { label: '网关状态', path: '/office/info/gateway', user: 'sysadmin' },

  // 信息发布 (the editor console)
  { label: '信息发布列表', path: '/office/portal', user: 'editor' },
  { label: '新建信息', path: '/office/portal/new', user: 'editor', ready: 'form' },
  { label: '新建政策文件', path: '/office/portal/new?type=policy', user: 'editor', ready: 'form' },
  { label: '编辑信息', path: async (ctx) => `/office/portal/documents/${enc(await portalDoc(ctx))}`, user: 'editor', ready: 'form' },
  {
    label: '历史版本',
    path: async (ctx) => `/office/portal/documents/${enc(await portalDoc(ctx))}/history`,
    user: 'editor',
  },
  { label: '审核队列', path: '/office/portal/review', user: 'reviewer' },
  { label: '搜索分析', path: '/office/portal/search-analytics', user: 'editor' },
  { label: '搜索分析：同义词', path: '/office/portal/search-analytics?tab=synonyms', user: 'editor' },

  // 邮件
  { label: '收件箱', path: '/office/mail', user: 'reviewer' },
  { label: '阅读邮件', path: async (ctx) => `/office/mail/read/${enc(await mailEntry(ctx))}`, user: 'reviewer' },
  { label: '阅读邮件（提醒链接）', path: async (ctx) => `/office/mail/message/${enc(await mailMessage(ctx))}`, user: 'reviewer' },

  // 论坛
  { label: '论坛', path: '/office/forum', user: 'staff' },
  { label: '论坛版块', path: async (ctx) => `/office/forum/boards/${enc(await forumBoard(ctx))}`, user: 'staff' },
  { label: '论坛主题', path: async (ctx) => `/office/forum/threads/${enc(await forumThread(ctx))}`, user: 'staff' },
  { label: '版块管理', path: '/office/forum/manage', user: 'officeadmin' },

  // 消息
  { label: '消息', path: '/office/messages', user: 'editor' },
  { label: '会话', path: async (ctx) => `/office/messages/${enc(await chat(ctx))}`, user: 'editor' },

  // 个人助理
  { label: '日程', path: '/office/assistant?tab=calendar', user: 'staff' },
  { label: '待办', path: '/office/assistant?tab=todos', user: 'staff' },
  { label: '便笺', path: '/office/assistant?tab=notes', user: 'staff' },
  { label: '通讯录', path: '/office/assistant?tab=contacts', user: 'staff' },

  // 视频点播
  { label: '视频库', path: '/office/videos', user: 'staff' },
  { label: '视频库（管理）', path: '/office/videos', user: 'editor' },
  { label: '视频播放', path: async (ctx) => `/office/videos/${enc(await video(ctx))}`, user: 'staff' },
]
