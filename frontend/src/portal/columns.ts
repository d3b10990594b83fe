// The portal home page's columns (栏目): the four root channels of the CMS
// delivery API (/api/portal/v1), each listing its newest items.

export interface PortalColumn {
  /** The root channel's key in the CMS. */
  key: string
  title: string
  /** Where "更多" leads. */
  more: string
  /** Internal channel: anonymous readers get nothing and see 登录后可见. */
  internal?: boolean
}

export const portalColumns: PortalColumn[] = [
  { key: 'leaders', title: '领导文库', more: '/leaders' },
  { key: 'files', title: '政府文件', more: '/channels/files' },
  { key: 'news', title: '政务要闻', more: '/channels/news' },
  { key: 'library', title: '资料库', more: '/channels/library', internal: true },
]

/** Items per column on the home page. */
export const COLUMN_SIZE = 8
