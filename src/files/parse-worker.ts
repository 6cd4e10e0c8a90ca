import { Worker } from 'node:worker_threads'
import { AppError } from '../errors.ts'
import type { ErrorCode } from '../errors.ts'
import { defaultParseLimits } from './parse-limits.ts'
import type { ParseLimits } from './parse-limits.ts'

// Every parse of a user's file runs here, in a worker thread (issue #14): the event loop keeps
// answering while it runs, and past its heap or its time the worker is stopped and the user told
// why. Starting a worker (tsx and the parser's modules) takes about a second on the 2-core
// reference machine, so a worker that finished a task waits a little for the next (a scan reads
// several attachments in a row); one that was stopped is never reused.

/** The tasks parse-tasks.ts runs; each takes and returns structured-clonable data. */
export type ParseTask = 'reportFile' | 'activityTable' | 'attachmentText'

type Outcome =
  | { ok: true; value: unknown }
  | { ok: false; name: string; message: string; code?: ErrorCode; fields?: Record<string, string> }

const entry = new URL('./parse-worker-entry.mjs', import.meta.url)
/** How long a finished worker waits for another task, and how many tasks one worker runs. */
const idleMs = 20_000
const maxTasksPerWorker = 50

type Slot = { worker: Worker; memoryMb: number; tasks: number; idleTimer?: NodeJS.Timeout; onIdleEnd?: () => void }
const idle: Slot[] = []
/** Each parse in progress, with what stops it. */
const running = new Map<Worker, () => void>()

const ignore = () => {}

const limitError = (message: string) => new AppError('invalid_input', message, { file: message })

/** The task's error as the worker threw it: same message, same name (and code for an AppError). */
function rebuilt(o: Extract<Outcome, { ok: false }>): Error {
  if (o.name === 'AppError' && o.code) return new AppError(o.code, o.message, o.fields ?? {})
  const e = new Error(o.message)
  e.name = o.name
  return e
}

function take(memoryMb: number): Slot {
  const at = idle.findIndex((s) => s.memoryMb === memoryMb)
  if (at >= 0) {
    const [slot] = idle.splice(at, 1)
    clearTimeout(slot!.idleTimer)
    slot!.worker.off('error', slot!.onIdleEnd!).off('exit', slot!.onIdleEnd!)
    slot!.worker.ref()
    return slot!
  }
  const worker = new Worker(entry, {
    // The entry registers tsx itself; the parent's flags (vitest's, --watch) are not the worker's.
    execArgv: [],
    resourceLimits: {
      maxOldGenerationSizeMb: memoryMb,
      maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.round(memoryMb / 8))),
    },
    stdout: false,
    stderr: false,
  })
  // A worker stopped at a limit may still report an error after its task has been answered: an
  // 'error' event without a listener would throw in the server's process.
  worker.on('error', ignore)
  return { worker, memoryMb, tasks: 0 }
}

function giveBack(slot: Slot): void {
  if (slot.tasks >= maxTasksPerWorker) {
    void slot.worker.terminate()
    return
  }
  slot.worker.unref()
  slot.onIdleEnd = () => retire(slot)
  slot.worker.once('error', slot.onIdleEnd)
  slot.worker.once('exit', slot.onIdleEnd)
  slot.idleTimer = setTimeout(() => retire(slot), idleMs).unref()
  idle.push(slot)
}

function retire(slot: Slot): void {
  clearTimeout(slot.idleTimer)
  const at = idle.indexOf(slot)
  if (at >= 0) idle.splice(at, 1)
  void slot.worker.terminate()
}

/** Runs a parse task in a worker with the limits' heap and time; a refusal past either is a 422 in Chinese. */
export function inWorker<T>(task: ParseTask, input: unknown, limits: ParseLimits = defaultParseLimits): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const slot = take(limits.memoryMb)
    const { worker } = slot
    slot.tasks++
    let settled = false
    const settle = (reuse: boolean, fn: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      running.delete(worker)
      worker.off('message', onMessage).off('error', onError).off('exit', onExit)
      if (reuse) giveBack(slot)
      else void worker.terminate()
      fn()
    }
    const stop = (message: string) => settle(false, () => reject(limitError(message)))
    running.set(worker, () => stop('服务器正在停止，文件未解析完成，请稍后重试'))
    const timer = setTimeout(
      () =>
        stop(
          `文件过于复杂，解析超过 ${limits.timeoutSeconds} 秒，已停止。请删去无关的内容（如空白行、多余的工作表、图片）后再上传`,
        ),
      limits.timeoutSeconds * 1000,
    )
    const onMessage = (o: Outcome) => settle(true, () => (o.ok ? resolve(o.value as T) : reject(rebuilt(o))))
    const onError = (err: Error & { code?: string }) =>
      err.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? stop(
            `文件过于复杂，解析所需内存超过 ${limits.memoryMb} MB，已停止。请删去无关的内容（如空白行、多余的工作表、图片）后再上传`,
          )
        : settle(false, () => reject(err))
    const onExit = (code: number) => settle(false, () => reject(new Error(`解析线程意外退出（${code}）`)))
    worker.on('message', onMessage).on('error', onError).on('exit', onExit)
    worker.postMessage({ task, input, limits })
  })
}

/** Stops every parse in progress and every waiting worker (the server is shutting down). */
export async function stopParseWorkers(): Promise<void> {
  const workers = [...running.keys(), ...idle.map((s) => s.worker)]
  for (const stop of [...running.values()]) stop()
  for (const slot of [...idle]) retire(slot)
  await Promise.all(workers.map((w) => w.terminate()))
}

/** Parses in progress. */
export const parseWorkersRunning = () => running.size
