// Read aloud (朗读) through the browser's own speech synthesis: the reader's
// selection if there is one, else the page's main content. Browsers without
// speechSynthesis (or without a voice) get no button at all.

import { ref } from 'vue'

/** Whether this browser can read aloud. */
export function speechAvailable(): boolean {
  return typeof window !== 'undefined' && 'speechSynthesis' in window && typeof SpeechSynthesisUtterance === 'function'
}

/** True while the page is being read. */
export const speaking = ref(false)

/**
 * Text cut into sentences (。！？；, line breaks), merged up to max characters:
 * some engines stop a long utterance after ~15 s, and a queue of short ones
 * also lets 停止 take effect at once.
 */
export function sentences(text: string, max = 120): string[] {
  const parts = text
    .split(/(?<=[。！？；!?;])|\n+/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
  const out: string[] = []
  for (const p of parts) {
    const last = out[out.length - 1]
    if (last !== undefined && last.length + p.length <= max) out[out.length - 1] = last + p
    else out.push(p)
  }
  return out
}

/** What would be read now: the selection, else the main landmark's text. */
export function textToRead(): string {
  const selected = window.getSelection()?.toString().trim()
  if (selected) return selected
  const main = document.querySelector('main') ?? document.body
  return (main as HTMLElement).innerText ?? ''
}

export function stopReading(): void {
  if (speechAvailable()) window.speechSynthesis.cancel()
  speaking.value = false
}

export function startReading(text = textToRead()): void {
  if (!speechAvailable()) return
  stopReading()
  const parts = sentences(text)
  if (!parts.length) return
  speaking.value = true
  parts.forEach((p, i) => {
    const u = new SpeechSynthesisUtterance(p)
    u.lang = 'zh-CN'
    u.rate = 0.9 // a little slower than the default: the toolbar is there for older readers
    if (i === parts.length - 1) u.onend = () => (speaking.value = false)
    u.onerror = () => (speaking.value = false)
    window.speechSynthesis.speak(u)
  })
}
