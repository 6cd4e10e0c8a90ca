// Preloaded with `node --import` by test/startup.test.ts: at exit, writes every module the process
// loaded (ES modules through a load hook, CommonJS from require's cache) to LOADED_MODULES_FILE.
import { appendFileSync } from 'node:fs'
import { createRequire, register } from 'node:module'

const file = process.env.LOADED_MODULES_FILE
if (file) {
  register('./loaded-modules-hook.mjs', import.meta.url, { data: { file } })
  const require = createRequire(import.meta.url)
  process.on('exit', () => appendFileSync(file, `${Object.keys(require.cache).join('\n')}\n`))
}
