// Names for ids shown in the console: channels (from the delivery tree),
// people (whatever shape the API gives).

import { reactive } from 'vue'
import { client } from '../../auth/session'
import { flattenChannels, getChannels, type ChannelNode } from '../../api/portal'

const state = reactive({ channels: [] as ChannelNode[], loaded: false })
let loading: Promise<void> | null = null

/** Loads the channel tree once (signed in: internal channels included). */
export function loadChannels(): Promise<void> {
  loading ??= getChannels(client)
    .then((c) => {
      state.channels = c
      state.loaded = true
    })
    .catch(() => {
      loading = null
    })
  return loading
}

export const channelTree = () => state.channels
export const channelOptions = () => flattenChannels(state.channels)
/** The channels an information item may be designated to: those that take articles. */
export const articleChannelOptions = () => channelOptions().filter((c) => c.node.types?.includes('article'))

export function channelName(key: string): string {
  return flattenChannels(state.channels).find((c) => c.node.key === key)?.label ?? key
}

export function personName(v: unknown): string {
  if (typeof v === 'string') return v
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>
    for (const k of ['displayName', 'name', 'username', 'id']) if (typeof o[k] === 'string' && o[k]) return o[k] as string
  }
  return ''
}
