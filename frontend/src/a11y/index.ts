// The assistive modes for any page: main.ts calls installAssistModes() once
// (and imports modes.css); a header drops in <AssistToolbar /> — the portal's
// does, and the office's header can take the same component as it is.
export { default as AssistToolbar } from './AssistToolbar.vue'
export { installAssistModes, modes, resetModes } from './modes'
