// The office desktop's left menu. Each entry is a capability that later issues
// fill in; until then its route shows a placeholder.

export interface MenuEntry {
  /** Path under /office ('' is the desktop itself). */
  path: string
  label: string
  /** Shown only to holders of at least one of these permissions (none: to everyone). */
  perms?: string[]
}

/** The permissions of the three officers, who use the officers' console. */
export const OFFICER_PERMISSIONS = ['user.manage', 'org.manage', 'grant.manage', 'policy.manage', 'audit.read']

export const officeMenu: MenuEntry[] = [
  { path: '', label: '个人桌面' },
  { path: 'documents', label: '公文' },
  { path: 'meetings', label: '会议' },
  { path: 'duty', label: '值班' },
  { path: 'schedule', label: '日程' },
  { path: 'info', label: '信息' },
  { path: 'portal', label: '信息发布' },
  { path: 'mail', label: '邮件' },
  { path: 'forum', label: '论坛' },
  { path: 'messages', label: '消息' },
  { path: 'assistant', label: '个人助理' },
  { path: 'admin', label: '三员管理', perms: OFFICER_PERMISSIONS },
]

/** The entries a user with these permissions sees. */
export function visibleMenu(permissions: readonly string[] | undefined): MenuEntry[] {
  return officeMenu.filter((m) => !m.perms || m.perms.some((p) => permissions?.includes(p)))
}

/** The menu entry a path belongs to: the longest matching prefix (sub-pages keep their entry lit). */
export function activeMenuPath(path: string): string {
  const p = path.replace(/\/$/, '') || '/office'
  let best = '/office'
  for (const m of officeMenu) {
    const full = m.path ? `/office/${m.path}` : '/office'
    if ((p === full || p.startsWith(`${full}/`)) && full.length > best.length) best = full
  }
  return best
}
