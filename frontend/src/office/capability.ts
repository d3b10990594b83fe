// What an office capability gives the SPA: its entry in the left menu and its
// routes under /office. Each capability folder exports one (see
// office/info/routes.ts) and office/menu.ts lists them: that list is the one
// place a new capability is registered in the SPA.

import type { RouteRecordRaw } from 'vue-router'

export interface MenuEntry {
  /** Path under /office ('' is the desktop itself). */
  path: string
  label: string
  /** Shown only to holders of at least one of these permissions (none: to everyone). */
  perms?: string[]
}

export interface Capability {
  menu: MenuEntry
  /** Child routes of /office (paths relative to it). */
  routes: RouteRecordRaw[]
}
