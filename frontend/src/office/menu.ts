// The office desktop's left menu. Each entry is a capability that later issues
// fill in; until then its route shows a placeholder.

export interface MenuEntry {
  /** Path under /office ('' is the desktop itself). */
  path: string
  label: string
}

export const officeMenu: MenuEntry[] = [
  { path: '', label: '个人桌面' },
  { path: 'documents', label: '公文' },
  { path: 'meetings', label: '会议' },
  { path: 'duty', label: '值班' },
  { path: 'schedule', label: '日程' },
  { path: 'info', label: '信息' },
  { path: 'mail', label: '邮件' },
  { path: 'forum', label: '论坛' },
  { path: 'messages', label: '消息' },
  { path: 'assistant', label: '个人助理' },
]
