import type { Db, Executor } from './database.ts'

// Group commit (for the public form's submissions): requests that arrive while a transaction is
// being written wait and go together into the next one, each inside its own savepoint, so one
// commit — one fsync — makes a whole batch durable. A request is answered only after the commit
// that holds it; one that fails rolls back to its savepoint and fails alone.

type Work<T> = (trx: Executor) => Promise<T>
type Entry = { work: Work<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void }
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown }

export class GroupCommitter {
  private readonly queue: Entry[] = []
  private running = false
  /**
   * `lingerMs`: how long the first request of a batch waits for others. SQLite's commit blocks the
   * event loop (better-sqlite3 is synchronous), so nothing can join a batch during it; a short wait
   * lets the requests already read from the sockets reach the queue.
   */
  constructor(
    private readonly db: Db,
    private readonly maxBatch = 64,
    private readonly lingerMs = 2,
  ) {}

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work: work as Work<unknown>, resolve: resolve as (v: unknown) => void, reject })
      if (!this.running) void this.drain()
    })
  }

  private async drain(): Promise<void> {
    this.running = true
    try {
      while (this.queue.length > 0) {
        if (this.lingerMs > 0 && this.queue.length < this.maxBatch)
          await new Promise((r) => setTimeout(r, this.lingerMs))
        const batch = this.queue.splice(0, this.maxBatch)
        const outcomes: Outcome[] = []
        let trx: Awaited<ReturnType<ReturnType<Db['startTransaction']>['execute']>> | undefined
        try {
          trx = await this.db.startTransaction().execute()
          for (const [i, entry] of batch.entries()) {
            const name = `g${i}`
            const point = await trx.savepoint(name).execute()
            try {
              outcomes.push({ ok: true, value: await entry.work(point) })
              await point.releaseSavepoint(name).execute()
            } catch (error) {
              await point.rollbackToSavepoint(name).execute()
              outcomes.push({ ok: false, error })
            }
          }
          await trx.commit().execute()
        } catch (error) {
          if (trx)
            await trx
              .rollback()
              .execute()
              .catch(() => undefined)
          for (const entry of batch) entry.reject(error)
          continue
        }
        batch.forEach((entry, i) => {
          const o = outcomes[i]!
          if (o.ok) entry.resolve(o.value)
          else entry.reject(o.error)
        })
      }
    } finally {
      this.running = false
    }
  }
}

const committers = new WeakMap<object, GroupCommitter>()

/** The group committer of one database (one per Deps). */
export function groupCommitter(deps: { db: Db }): GroupCommitter {
  let c = committers.get(deps)
  if (!c) {
    c = new GroupCommitter(deps.db)
    committers.set(deps, c)
  }
  return c
}
