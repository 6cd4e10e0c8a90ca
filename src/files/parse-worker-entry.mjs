// The worker thread of parse-worker.ts: registers tsx (a worker does not inherit the parent's
// loader, under `node bin/gongkai.mjs` or under vitest alike), then runs the tasks it is sent, one at
// a time, and posts each outcome.
import { setPriority } from 'node:os'
import { parentPort } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

// On Linux a thread has its own nice value, and this call sets this thread's alone: on a busy
// machine the server's event loop is given the processor before a parse (elsewhere it may set the
// whole process's, or fail; either is harmless).
try {
  setPriority(10)
} catch {
  // not permitted here: the parse runs at the server's priority
}
register()
const { parseTasks } = await import('./parse-tasks.ts')
parentPort.on('message', async ({ task, input, limits }) => {
  try {
    const value = await parseTasks[task](input, limits)
    parentPort.postMessage({ ok: true, value })
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e))
    parentPort.postMessage({ ok: false, name: error.name, message: error.message, code: e?.code, fields: e?.fields })
  }
})
