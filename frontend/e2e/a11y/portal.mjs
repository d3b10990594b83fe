// Routes of the "portal" group checked by e2e/a11y.test.mjs (see its header for an entry's fields):
// every page of the portal (政务信息网) and of signing in, as an anonymous reader and as staff.
// What the demo lacks (an item with attachments, a draft to preview, an account that must change
// its password) is made once through the real APIs (e2e/portal-fixtures.mjs).

import { DEMO_PASSWORD } from '../browser.mjs'
import { findItem, itemWithAttachments, leaderChannel, newAccount, previewToken } from '../portal-fixtures.mjs'

const firstLogin = DEMO_PASSWORD ? await newAccount() : 'staff'

export default [
  { label: '门户首页', path: '/', ready: '[data-testid="column-news"] li' },
  { label: '栏目：政务要闻（文章）', path: '/channels/news', ready: '[data-testid="channel-list"]' },
  { label: '栏目：政府文件（政策文件，带筛选）', path: '/channels/files', ready: '[data-testid="channel-list"]' },
  { label: '栏目：领导讲话', path: async () => `/channels/${await leaderChannel()}`, ready: '[data-testid="channel-list"]' },
  { label: '栏目：资料库（匿名，登录后可见）', path: '/channels/library', ready: '[data-testid="channel-missing"]' },
  { label: '栏目：资料库（报告）', path: '/channels/library', user: 'staff', ready: '[data-testid="channel-list"]' },
  { label: '栏目：不存在', path: '/channels/no-such-channel', ready: '[data-testid="channel-missing"]' },
  { label: '领导文库', path: '/leaders', ready: '.leader-list li' },
  {
    label: '正文：政策文件（文号、效力）',
    path: async () => `/items/${(await findItem('files', (i) => i.policy?.docNumber)).id}`,
    ready: '[data-testid="policy-meta"]',
  },
  { label: '正文：带附件', path: async () => `/items/${await itemWithAttachments()}`, ready: '[data-testid="item-attachments"]' },
  {
    label: '正文：领导讲话',
    path: async () => `/items/${(await findItem(await leaderChannel())).id}`,
    ready: '[data-testid="item-title"]',
  },
  { label: '正文：不存在', path: '/items/no-such-item', ready: '[data-testid="item-error"]' },
  { label: '预览草稿', path: async () => `/preview/${await previewToken()}`, ready: '[data-testid="item-title"]' },
  { label: '搜索：有结果', path: '/search?q=营商环境', ready: '[data-testid="search-hit"]' },
  { label: '搜索：有结果并筛选', path: '/search?q=营商环境&type=policy&sort=date', ready: '[data-testid="search-hit"]' },
  { label: '搜索：无结果', path: '/search?q=无此词语之检索测试', ready: '[data-testid="search-empty"]' },
  { label: '搜索：无关键词', path: '/search', ready: '[data-testid="search-prompt"]' },
  { label: '视频点播（匿名）', path: '/library/videos', ready: '[data-testid="library-videos-login"]' },
  { label: '视频点播', path: '/library/videos', user: 'staff', ready: '[data-testid="library-videos"]' },
  { label: '登录', path: '/login', ready: 'form' },
  { label: '修改密码', path: '/password', user: 'staff', ready: 'form' },
  { label: '修改密码（首次登录）', path: '/password', user: firstLogin, ready: '[data-testid="pw-reason"]' },
  { label: '页面不存在', path: '/no-such-page', ready: '[data-testid="not-found"]' },
]
