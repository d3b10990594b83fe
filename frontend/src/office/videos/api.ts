// The video library (/api/office/v1/videos), typed from the office API's
// description. The bytes — the video with Range, its poster — come from the
// media store's route, read by the browser with the media cookie.

import type { ApiClient } from '../../api/client'
import { OFFICE_BASE } from '../../api/office'
import { PORTAL_BASE } from '../../api/portal'
import type { components, operations } from '../../api/schema/office'

export type Video = components['schemas']['Video']
export type VideoView = components['schemas']['VideoView']
type VideoPage = components['schemas']['VideoPage']
export type VideoInput = operations['postVideos']['requestBody']['content']['application/json']
export type VideoQuery = NonNullable<operations['getVideos']['parameters']['query']>

const BASE = `${OFFICE_BASE}/videos`

export const CATEGORIES: VideoInput['category'][] = ['会议录像', '培训视频', '政策解读', '专题讲座', '宣传片']

export function listVideos(c: ApiClient, q: VideoQuery = {}): Promise<VideoPage> {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '' && v !== false) p.set(k, String(v))
  return c.request<VideoPage>(`${BASE}?${p}`)
}
export const getVideo = (c: ApiClient, id: string) => c.request<VideoView>(`${BASE}/${encodeURIComponent(id)}`)
export const addVideo = (c: ApiClient, body: VideoInput) => c.request<VideoView>(BASE, { body })
export const videoStep = (c: ApiClient, id: string, step: 'withdraw' | 'restore') =>
  c.request<VideoView>(`${BASE}/${encodeURIComponent(id)}/${step}`, { body: {} })

/** The URL the browser streams a stored file from (the media cookie proves the right to it). */
export const fileURL = (mediaId: string) => `${PORTAL_BASE}/media/${encodeURIComponent(mediaId)}`

/** 1:05:03 or 4:07; “时长未知” when the server had no ffmpeg. */
export function formatDuration(seconds: number | undefined): string {
  if (!seconds) return '时长未知'
  const s = Math.round(seconds)
  const hh = Math.floor(s / 3600)
  const mm = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, '0')
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`
}
