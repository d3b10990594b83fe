// The office desktop's left menu, in order. A built capability contributes
// its routes (see capability.ts); an entry without one shows the placeholder
// until its issue builds it.

import type { Capability, MenuEntry } from './capability'
import { info } from './info/routes'
import { portal } from './portal/routes'
import { admin } from './admin/routes'
import { leave } from './leave/routes'
import { messages } from './messages/routes'
import { documents } from './documents/routes'
import { flows } from './flows/routes'
import { calendar } from './calendar/routes'
import { seal } from './seal/routes'
import { print } from './print/routes'
import { meetings } from './meetings/routes'
import { duty } from './duty/routes'
import { schedule } from './schedule/routes'
import { archive } from './archive/routes'
import { videos } from './videos/routes'
import { assistant } from './assistant/routes'
import { mail } from './mail/routes'
import { forum } from './forum/routes'
import { notifications } from './notifications/routes'

export type { MenuEntry } from './capability'

/** The built capabilities: register a new one here. */
export const capabilities: Capability[] = [info, portal, admin, leave, documents, archive, flows, calendar, print, seal, meetings, duty, schedule, videos, messages, assistant, mail, forum, notifications]

/**
 * Menu entries announced before their capability is built: they show the
 * placeholder (功能建设中). Every entry of the seed's office is built now.
 */
const planned: MenuEntry[] = []

const order = ['', 'documents', 'print', 'archive', 'meetings', 'duty', 'schedule', 'leave', 'info', 'portal', 'mail', 'forum', 'messages', 'assistant', 'notifications', 'videos', 'calendar', 'flows', 'seal', 'admin']

export const officeMenu: MenuEntry[] = [
  { path: '', label: '个人桌面' },
  ...capabilities.map((c) => c.menu),
  ...planned.filter((p) => !capabilities.some((c) => c.menu.path === p.path)),
].sort((a, b) => rank(a.path) - rank(b.path))

function rank(path: string): number {
  const i = order.indexOf(path)
  return i < 0 ? order.length : i
}

/** Entries whose capability is not built: they route to the placeholder. */
export const placeholders = (): MenuEntry[] =>
  officeMenu.filter((m) => m.path !== '' && !capabilities.some((c) => c.menu.path === m.path))

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
