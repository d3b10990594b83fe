// The 消息 menu entry's unread count. The badge (UnreadBadge.vue) reads GET /chat/chats's total
// when mounted, every POLL_MS while the tab is visible, and when it becomes visible again; the
// messages screen, which hears every message on the chat socket, sets the count as it changes,
// so while it is open the badge follows at once. (The desktop's event stream does not tell of
// chat messages: they are no records change.)

import { ref } from 'vue'

export const unreadTotal = ref(0)

export const POLL_MS = 30_000

/** What a screen reader says of the badge. */
export const unreadLabel = (n: number): string => `未读消息 ${n} 条`
