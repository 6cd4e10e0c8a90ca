import { Worker } from 'node:worker_threads'
import type { CompiledQuery } from 'kysely'
import type { Executor } from './database.ts'

// Long reads off the server's thread (issue #15). better-sqlite3 runs a query on the thread that asks, and while it
// runs that thread serves nothing: scoring every match of a common word by relevance (FTS5 bm25() over hundreds of
// thousands of rows, a deep page of results) held the whole server for seconds at scale. A reader is a worker thread
// with its own connection to the same file, which only reads: a query sent there leaves the event loop free, and in
// WAL mode it sees every committed write. Queries inside a transaction stay on the transaction's connection (they
// must see its own writes), and a query the reader could not run is run on the caller's connection instead.

const entry = new URL('./sqlite-reader-entry.mjs', import.meta.url)

type Pending = { resolve(rows: unknown[]): void; reject(e: Error): void }
type Running = { worker: Worker; pending: Map<number, Pending> }

/** After the reader failed, long reads run on the caller's thread for this long before it is started again. */
const restartAfterMs = 60_000

export class SqliteReader {
  #running: Running | undefined
  #next = 0
  #closed = false
  #failedAt = Number.NEGATIVE_INFINITY
  /** Queries the reader has answered (tests check that long reads went there). */
  answered = 0

  constructor(private readonly file: string) {}

  #start(): Running {
    const worker = new Worker(entry, { workerData: { file: this.file } })
    worker.unref()
    // Each worker has its own waiting queries: one that failed rejects only those it was given.
    const running: Running = { worker, pending: new Map() }
    worker.on('message', ({ id, rows, error }: { id: number; rows?: unknown[]; error?: string }) => {
      const pending = running.pending.get(id)
      if (!pending) return
      running.pending.delete(id)
      if (running.pending.size === 0) worker.unref()
      if (error !== undefined) pending.reject(new Error(error))
      else {
        this.answered++
        pending.resolve(rows ?? [])
      }
    })
    const fail = (e: Error) => {
      if (this.#running === running) {
        this.#running = undefined
        if (!this.#closed) {
          this.#failedAt = Date.now()
          // Said once per failure: its long reads now hold the server's thread again, until it is restarted.
          process.emitWarning(`SQLite 读取线程出错，其查询暂在主线程执行：${e.message}`)
        }
      }
      for (const p of running.pending.values()) p.reject(e)
      running.pending.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`SQLite reader exited (${code})`)))
    return running
  }

  /** The rows of a compiled query, read on the reader's thread; rejected if the reader cannot run it. */
  all<R>(query: CompiledQuery): Promise<R[]> {
    if (this.#closed) return Promise.reject(new Error('SQLite reader closed'))
    if (!this.#running && Date.now() - this.#failedAt < restartAfterMs)
      return Promise.reject(new Error('SQLite reader failed recently'))
    const running = (this.#running ??= this.#start())
    const id = this.#next++
    return new Promise<R[]>((resolve, reject) => {
      running.pending.set(id, { resolve: resolve as (rows: unknown[]) => void, reject })
      running.worker.ref()
      running.worker.postMessage({ id, sql: query.sql, parameters: query.parameters })
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    const running = this.#running
    this.#running = undefined
    if (running) await running.worker.terminate()
  }
}

const readers = new WeakMap<object, SqliteReader>()
const pageReaders = new WeakMap<object, SqliteReader>()

/**
 * Gives a SQLite database (the Kysely instance, not a transaction) its reader: for long reads, or for the kept item
 * pages (web/page-store.ts), short reads many at once that must not wait behind a long one.
 */
export function attachReader(db: object, reader: SqliteReader, use: 'long' | 'pages' = 'long'): void {
  ;(use === 'pages' ? pageReaders : readers).set(db, reader)
}

/**
 * The rows of a query that may read long: on the reader's thread when `db` is a SQLite database with one, else (a
 * transaction, PostgreSQL, a reader that failed) where `db` runs it.
 */
export async function readRows<R>(
  db: Executor,
  query: { compile(db: Executor): CompiledQuery; execute(db: Executor): Promise<{ rows: R[] }> },
): Promise<R[]> {
  const reader = readers.get(db)
  if (reader) {
    try {
      return await reader.all<R>(query.compile(db))
    } catch {
      // The reader could not run it (it stopped, or the file is not one it can open): run it here.
    }
  }
  return (await query.execute(db)).rows
}

/** The reader of a SQLite database, if it has one. */
export const readerOf = (db: Executor): SqliteReader | undefined => readers.get(db)

/** The reader of a SQLite database's kept item pages, if it has one. */
export const pageReaderOf = (db: Executor): SqliteReader | undefined => pageReaders.get(db)
