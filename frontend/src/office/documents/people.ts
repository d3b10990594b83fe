// The address book (通讯录) every 公文 screen names people with: loaded once
// from GET /org/people, shared; until then (or for an account it leaves
// out, say a disabled one) the signed-in user's own name, then "用户…".

import { reactive } from 'vue'
import { client, session } from '../../auth/session'
import { listPeople, type Person } from './api'

const state = reactive({ people: [] as Person[] })
let loading: Promise<void> | null = null

export function loadPeople(): Promise<void> {
  loading ??= listPeople(client)
    .then((p) => {
      state.people = p
    })
    .catch(() => {
      loading = null
    })
  return loading
}

export const people = (): Person[] => state.people

export function personName(id: string | undefined): string {
  if (!id) return ''
  const p = state.people.find((x) => x.id === id)
  if (p) return p.name
  const me = session.state.me?.user
  if (me?.id === id) return me.displayName
  return `用户${id.slice(0, 6)}`
}

/** Several people's names, joined as Chinese lists are (、). */
export const peopleNames = (ids: readonly string[] | undefined): string => (ids ?? []).map(personName).join('、')
