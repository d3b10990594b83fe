// What the office's pages do alike while they fetch what they show: a flag
// for the table's spinner, and the server's message when the fetch fails;
// and when they change something from a row or a toolbar: a message, then
// the page fetched anew, or the server's message in the same place.

import { ref } from 'vue'
import { ElMessage } from 'element-plus'
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

  /**
   * Runs change; when it succeeds says done and awaits reload. A failure (of
   * either) shows as error and is handed to failed. Reports whether all went well.
   */
  async function act(change: () => Promise<unknown>, done: string, reload: () => Promise<void>, failed?: (e: unknown) => void): Promise<boolean> {
    try {
      await change()
      ElMessage.success(done)
      await reload()
      return true
    } catch (e) {
      error.value = problemMessage(e)
      failed?.(e)
      return false
    }
  }

  return { loading, error, run, act }
}
