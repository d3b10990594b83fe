// The elder-friendly (适老化) and assistive modes of every page, portal and
// office alike: larger text in two steps, high contrast and a reading guide
// line. A mode is a class on <html> (zw-text-1 / zw-text-2, zw-contrast,
// zw-guide) styled in modes.css, so a page needs nothing of its own to
// follow them; the choice is remembered per browser (localStorage).

import { reactive, watch } from 'vue'

export type TextStep = 0 | 1 | 2

export interface AssistModes {
  /** 0: the normal size; 1 and 2: larger (125 % and 150 %). */
  text: TextStep
  contrast: boolean
  guide: boolean
}

export const STORAGE_KEY = 'zhengwu.assist'
export const MAX_TEXT_STEP: TextStep = 2

export const DEFAULT_MODES: Readonly<AssistModes> = Object.freeze({ text: 0, contrast: false, guide: false })

/** The stored modes, or the defaults for anything missing or malformed. */
export function parseModes(raw: string | null): AssistModes {
  let v: Partial<Record<keyof AssistModes, unknown>> = {}
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : {}
    if (parsed && typeof parsed === 'object') v = parsed
  } catch {
    // A broken entry is the same as none.
  }
  const text = v.text === 1 || v.text === 2 ? v.text : 0
  return { text, contrast: v.contrast === true, guide: v.guide === true }
}

/** The classes <html> carries for modes (the others of ours are removed). */
export function modeClasses(m: AssistModes): string[] {
  const out: string[] = []
  if (m.text) out.push(`zw-text-${m.text}`)
  if (m.contrast) out.push('zw-contrast')
  if (m.guide) out.push('zw-guide')
  return out
}

const ALL_CLASSES = ['zw-text-1', 'zw-text-2', 'zw-contrast', 'zw-guide']

function readStored(): AssistModes {
  try {
    return parseModes(localStorage.getItem(STORAGE_KEY))
  } catch {
    return { ...DEFAULT_MODES } // storage refused (privacy settings): modes last for the page only
  }
}

/** The modes of this browser: one reactive object, shared by every toolbar on the page. */
export const modes = reactive<AssistModes>(readStored())

function apply(m: AssistModes): void {
  const html = document.documentElement
  html.classList.remove(...ALL_CLASSES)
  html.classList.add(...modeClasses(m))
  try {
    if (m.text || m.contrast || m.guide) localStorage.setItem(STORAGE_KEY, JSON.stringify(m))
    else localStorage.removeItem(STORAGE_KEY)
  } catch {
    // Not remembered; still applied.
  }
}

let installed = false

/**
 * Applies the remembered modes to <html> and keeps them applied as they
 * change; installs the reading guide's pointer and focus tracking. Called
 * once from main.ts, before the app mounts (no flash of the small text).
 */
export function installAssistModes(): void {
  if (installed) return
  installed = true
  apply(modes)
  watch(modes, (m) => apply(m), { deep: true })
  // The guide line sits under the pointer, or under the focused element for
  // keyboard readers; modes.css draws it at --zw-guide-y while zw-guide is on.
  const html = document.documentElement
  const place = (y: number) => html.style.setProperty('--zw-guide-y', `${Math.round(y)}px`)
  window.addEventListener('pointermove', (e) => modes.guide && place(e.clientY), { passive: true })
  document.addEventListener('focusin', (e) => {
    if (!modes.guide || !(e.target instanceof Element)) return
    place(e.target.getBoundingClientRect().bottom + 2)
  })
}

export function largerText(): void {
  if (modes.text < MAX_TEXT_STEP) modes.text = (modes.text + 1) as TextStep
}

export function smallerText(): void {
  if (modes.text > 0) modes.text = (modes.text - 1) as TextStep
}

export function resetModes(): void {
  Object.assign(modes, DEFAULT_MODES)
}
