// What the office's form dialogs (FormDialog) do alike when their action
// runs: busy meanwhile; on success a message, the dialog closed and the page
// reloaded; on failure the server's message in the dialog and its field
// errors beside their fields.

import { ref, type Ref } from 'vue'
import { ElMessage } from 'element-plus'
import { fieldErrors, problemMessage } from '../api/problem'

export function useDialogAction() {
  const busy = ref(false)
  const error = ref('')
  const fieldErr = ref<Record<string, string>>({})

  /** Forgets the last failure (a dialog opens afresh). */
  function clear(): void {
    error.value = ''
    fieldErr.value = {}
  }

  /** Runs action; when it succeeds says done, closes open and awaits reload (whose failure shows like the action's). */
  async function submit(action: () => Promise<unknown>, done: string, open: Ref<boolean>, reload: () => Promise<unknown>): Promise<void> {
    clear()
    busy.value = true
    try {
      await action()
      ElMessage.success(done)
      open.value = false
      await reload()
    } catch (e) {
      error.value = problemMessage(e)
      fieldErr.value = fieldErrors(e)
    } finally {
      busy.value = false
    }
  }

  return { busy, error, fieldErr, clear, submit }
}
