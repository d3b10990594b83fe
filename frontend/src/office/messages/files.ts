// File messages: a file is uploaded to the media store first (POST /api/portal/v1/media, with
// progress), then sent as a message naming its mediaId; the server attaches it to the message
// (chat.MediaRule: only the chat's current members may download it). Links go through the media
// route, which the browser reads with the media cookie (auth/mediaCookie.ts).

import { mediaUrl } from '../../api/portal'

/** The 密级 a chat's messages may carry: up to its limit (the server refuses above it). */
export const LEVELS = ['非密', '秘密', '机密'] as const
export type Level = (typeof LEVELS)[number]

export function levelsUpTo(limit: string): Level[] {
  const i = LEVELS.indexOf(limit as Level)
  return LEVELS.slice(0, i < 0 ? 1 : i + 1)
}

const IMAGE = /\.(png|jpe?g|gif|webp|bmp)$/i

/** Whether a file is shown with a preview: by its name (the message carries no type). */
export const isImage = (name: string | undefined): boolean => IMAGE.test(name ?? '')

/** Where a file message's file is downloaded, and its preview. */
export const fileUrl = (mediaId: string): string => mediaUrl(mediaId)
export const previewUrl = (mediaId: string): string => `${mediaUrl(mediaId)}/thumbnail`
