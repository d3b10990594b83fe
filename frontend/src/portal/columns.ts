// The portal home page's columns (栏目). Their items will come from the CMS
// delivery API (/api/portal/v1); for now each column renders its empty state.

export interface PortalColumn {
  /** Stable key; expected to match the channel's slug in the CMS. */
  key: string
  title: string
}

export const portalColumns: PortalColumn[] = [
  { key: 'leaders-library', title: '领导文库' },
  { key: 'government-documents', title: '政府文件' },
  { key: 'government-news', title: '政务要闻' },
  { key: 'resources', title: '资料库' },
]
