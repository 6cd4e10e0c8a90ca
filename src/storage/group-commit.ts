import type { Db, Executor } from './database.ts'

// Group commit (for the public form's submissions): requests that arrive while a transaction is
// being written wait and go together into the next one, so one commit — one fsync — makes a whole
// batch durable. The batch is written at once (multi-row statements: a few statements for any
// number of requests); if that fails, it is rolled back and the batch is written again in a new
// transaction, each request in a savepoint of its own, so that one that fails, fails alone and the
// others share the commit. A request is answered only after the commit that holds it.

/** Writes a batch of items in the caller's transaction, returning one result per item, in order. */
export type BatchWrite<I, R> = (trx: Executor, items: readonly I[]) => Promise<R[]>
type Entry<I, R> = { item: I; resolve: (v: R) => void; reject: (e: unknown) => void }
type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown }
type Transaction = Awaited<ReturnType<ReturnType<Db['startTransaction']>['execute']>>

export class GroupCommitter<I, R> {
  private readonly queue: Entry<I, R>[] = []
  private running = false
  /**
   * `lingerMs`: how long the first request of a batch waits for others. SQLite's commit blocks the
   * event loop (better-sqlite3 is synchronous), so nothing can join a batch during it; a short wait
   * lets the requests already read from the sockets reach the queue.
   */
  constructor(
    private readonly db: Db,
    private readonly write: BatchWrite<I, R>,
    private readonly maxBatch = 64,
    private readonly lingerMs = 2,
  ) {}

  run(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject })
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
        let outcomes: Outcome<R>[]
        try {
          outcomes = await this.inTransaction(async (trx) =>
            (
              await this.write(
                trx,
                batch.map((e) => e.item),
              )
            ).map((value) => ({ ok: true as const, value })),
          )
        } catch (error) {
          // Alone, an item's failure is its own; in a batch, each is written again on its own.
          try {
            outcomes =
              batch.length === 1 ? [{ ok: false, error }] : await this.inTransaction((trx) => this.oneByOne(trx, batch))
          } catch (failed) {
            outcomes = batch.map(() => ({ ok: false, error: failed }))
          }
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

  /** Runs `work` in a transaction and commits it; rolled back if the work or the commit fails. */
  private async inTransaction<T>(work: (trx: Transaction) => Promise<T>): Promise<T> {
    const trx = await this.db.startTransaction().execute()
    try {
      const result = await work(trx)
      await trx.commit().execute()
      return result
    } catch (error) {
      await trx
        .rollback()
        .execute()
        .catch(() => undefined)
      throw error
    }
  }

  /** Each item in a savepoint of its own: one that fails is rolled back alone. */
  private async oneByOne(trx: Transaction, batch: readonly Entry<I, R>[]): Promise<Outcome<R>[]> {
    const outcomes: Outcome<R>[] = []
    for (const [i, { item }] of batch.entries()) {
      const name = `g${i}`
      const point = await trx.savepoint(name).execute()
      try {
        outcomes.push({ ok: true, value: (await this.write(point, [item]))[0]! })
        await point.releaseSavepoint(name).execute()
      } catch (error) {
        await point.rollbackToSavepoint(name).execute()
        await point.releaseSavepoint(name).execute()
        outcomes.push({ ok: false, error })
      }
    }
    return outcomes
  }
}
