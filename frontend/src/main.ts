import { createApp } from 'vue'
import ElementPlus, { ElMessage } from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'
import './styles.css'
import './a11y/modes.css'
import App from './App.vue'
import { createAppRouter } from './router'
import { session } from './auth/session'
import { installAssistModes } from './a11y/modes'

// The reader's assistive modes (larger text, high contrast…) before the first paint.
installAssistModes()

const router = createAppRouter()

// The session ended by itself (refresh refused): send the user to log in again
// if the current page needs a login, and come back here afterwards.
session.onAuthLost(() => {
  const current = router.currentRoute.value
  if (current.matched.some((r) => r.meta.requiresAuth)) {
    ElMessage.warning('登录已过期，请重新登录')
    router.replace({ name: 'login', query: { redirect: current.fullPath } })
  }
})

// The password must be changed before anything else (it expired while signed in).
session.onPasswordChangeRequired(() => {
  const current = router.currentRoute.value
  if (current.name !== 'change-password') {
    router.replace({ name: 'change-password', query: { redirect: current.fullPath } })
  }
})

createApp(App).use(ElementPlus, { locale: zhCn }).use(router).mount('#app')
