// What the sign-in pages (login, change password) do alike with their form:
// send it once at a time, then go where the user was going (?redirect=, kept
// to same-site paths), or show the server's problem and the fields it names.

import { useRoute, useRouter } from 'vue-router'
import { useSubmit } from '../api/submit'
import { safeRedirect } from './redirect'

export function useAuthForm() {
  const route = useRoute()
  const router = useRouter()
  const { busy, error, fieldErr, clear, submit } = useSubmit()

  /** Runs call, then follows ?redirect=; or shows why call failed and hands the error to failed. */
  async function send(call: () => Promise<void>, failed?: (e: unknown) => void): Promise<void> {
    await submit(async () => {
      await call()
      await router.replace(safeRedirect(route.query.redirect))
    }, failed)
  }

  return { router, busy, error, fieldErr, clear, send }
}
