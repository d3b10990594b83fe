// What every form that sends something does alike: one send at a time (busy
// meanwhile), and when the server refuses, its message and the fields it
// names for the page to show.

import { ref } from 'vue'
import { fieldErrors, problemMessage } from './problem'

export function useSubmit() {
  const busy = ref(false)
  const error = ref('')
  const fieldErr = ref<Record<string, string>>({})

  /** Forgets what the last answer showed. */
  function clear(): void {
    error.value = ''
    fieldErr.value = {}
  }

  /** Runs call with busy set; a failure shows as error and fieldErr and is handed to failed. */
  async function submit(call: () => Promise<void>, failed?: (e: unknown) => void): Promise<void> {
    busy.value = true
    try {
      await call()
    } catch (e) {
      error.value = problemMessage(e)
      fieldErr.value = fieldErrors(e)
      failed?.(e)
    } finally {
      busy.value = false
    }
  }

  return { busy, error, fieldErr, clear, submit }
}
