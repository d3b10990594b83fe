// What the sign-in pages (login, change password) do alike with their form:
// send it once at a time, then go where the user was going (?redirect=, kept
// to same-site paths), or show the server's problem and the fields it names.

import { ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { fieldErrors, problemMessage } from '../api/problem'
import { safeRedirect } from './redirect'

export function useAuthForm() {
  const route = useRoute()
  const router = useRouter()
  const busy = ref(false)
  const error = ref('')
  const fieldErr = ref<Record<string, string>>({})

  /** Clears what the last answer showed. */
  function clear(): void {
    error.value = ''
    fieldErr.value = {}
  }

  /** Runs call, then follows ?redirect=; or shows why call failed and hands the error to failed. */
  async function send(call: () => Promise<void>, failed?: (e: unknown) => void): Promise<void> {
    busy.value = true
    try {
      await call()
      await router.replace(safeRedirect(route.query.redirect))
    } catch (e) {
      error.value = problemMessage(e)
      fieldErr.value = fieldErrors(e)
      failed?.(e)
    } finally {
      busy.value = false
    }
  }

  return { router, busy, error, fieldErr, clear, send }
}
