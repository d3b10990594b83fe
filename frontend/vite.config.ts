/// <reference types="vitest/config" />
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'

// dist/ is emptied on every build, but dist/.gitkeep is committed so the Go
// package that embeds dist/ compiles on a fresh checkout. Put it back after
// each build, whichever way the build was started (npm run build, npx vite build).
function keepGitkeep(): Plugin {
  return {
    name: 'zhengwu-keep-gitkeep',
    apply: 'build',
    closeBundle() {
      writeFileSync(fileURLToPath(new URL('./dist/.gitkeep', import.meta.url)), '')
    },
  }
}

// In development the Go server runs separately; `npm run dev` proxies the API
// to it (override with ZHENGWU_API=http://host:port).
const apiTarget = process.env.ZHENGWU_API ?? 'http://127.0.0.1:18080'

export default defineConfig({
  base: '/',
  plugins: [vue(), keepGitkeep()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Element Plus is imported whole; one ~1 MB vendor chunk is expected.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': apiTarget,
      '/healthz': apiTarget,
      '/readyz': apiTarget,
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    // Element Plus imports the CommonJS async-validator as a default export, which
    // Node's own ESM loader gets wrong (form validation then never finishes);
    // letting Vite transform it applies the interop the browser build uses.
    server: { deps: { inline: ['element-plus'] } },
  },
})
