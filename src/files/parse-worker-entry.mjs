// The worker thread of parse-worker.ts: runs the tasks it is sent, one at a time, and posts each
// outcome. In the compiled tree (dist/, scripts/build.mjs) parse-tasks.js lies beside this file;
// beside the sources it registers tsx first (a worker does not inherit the parent's loader, under
// `node bin/gongkai.mjs` or under vitest alike).
import { existsSync } from 'node:fs'
import { setPriority } from 'node:os'
import { URL } from 'node:url'
import { parentPort } from 'node:worker_threads'

// On Linux a thread has its own nice value, and this call sets this thread's alone: on a busy
// machine the server's event loop is given the processor before a parse (elsewhere it may set the
// whole process's, or fail; either is harmless).
try {
  setPriority(10)
} catch {
  // not permitted here: the parse runs at the server's priority
}
let tasks = new URL('./parse-tasks.js', import.meta.url)
if (!existsSync(tasks)) {
  const { register } = await import('tsx/esm/api')
  register()
  tasks = new URL('./parse-tasks.ts', import.meta.url)
}
const { parseTasks } = await import(tasks.href)
parentPort.on('message', async ({ task, input, limits }) => {
  try {
    const value = await parseTasks[task](input, limits)
    parentPort.postMessage({ ok: true, value })
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e))
    parentPort.postMessage({ ok: false, name: error.name, message: error.message, code: e?.code, fields: e?.fields })
  }
})
