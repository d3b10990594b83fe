// What the office's pages do alike while they fetch what they show: a flag
// for the table's spinner, and the server's message when the fetch fails.

import { ref } from 'vue'
import { problemMessage } from '../api/problem'

export function useLoading() {
  const loading = ref(false)
  const error = ref('')

  /** Runs fetch with loading set and the last error cleared; a failure shows as error. */
  async function run(fetch: () => Promise<void>): Promise<void> {
    loading.value = true
    error.value = ''
    try {
      await fetch()
    } catch (e) {
      error.value = problemMessage(e)
    } finally {
      loading.value = false
    }
  }

  return { loading, error, run }
}
