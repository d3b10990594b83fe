// What the office's form dialogs (FormDialog) do alike when their action
// runs: busy meanwhile; on success a message, the dialog closed and the page
// reloaded; on failure the server's message in the dialog and its field
// errors beside their fields.

import type { Ref } from 'vue'
import { ElMessage } from 'element-plus'
import { useSubmit } from '../api/submit'

export function useDialogAction() {
  const { busy, error, fieldErr, clear, submit: send } = useSubmit()

  /** Runs action; when it succeeds says done, closes open and awaits reload (whose failure shows like the action's). */
  async function submit(action: () => Promise<unknown>, done: string, open: Ref<boolean>, reload: () => Promise<unknown>): Promise<void> {
    clear()
    await send(async () => {
      await action()
      ElMessage.success(done)
      open.value = false
      await reload()
    })
  }

  return { busy, error, fieldErr, clear, submit }
}
