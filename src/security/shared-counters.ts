import { sql } from 'kysely'
import type { Deps } from '../deps.ts'
import type { Executor } from '../storage/database.ts'

// Counters every process shares (issue #14): rate limits, the application form's limit for
// submissions without the proof of work, spent proof-of-work challenges. Each is one row of
// `rate_counters` per key and fixed window, moved by one UPSERT, so that 20 logins a minute are 20
// whichever process receives them. A counter is not a record worth an fsync: on PostgreSQL the
// table is UNLOGGED (its commit does not wait for the WAL to reach the disk; a crash of the server
// empties it), and on SQLite its write is committed with synchronous=NORMAL (WAL mode: no fsync; a
// power cut may lose the last counts). Every other write keeps its fsync.

const pruneEveryMs = 60_000
const lastPrune = new WeakMap<object, number>()

// On SQLite a data directory is served by one process (a second one is refused at start, main.ts), so its counters
// live in that process's memory: a counter written to the database on every request cost about 15 % of the durable
// submission rate (`npm run bench -- requests`, 758 → 644 submissions/s side by side). Spent challenges and counts
// are then lost at a restart, as the UNLOGGED table loses them on PostgreSQL after a crash.
type Counter = { hits: number; expiresAt: number }
const inMemory = new WeakMap<Deps, Map<string, Counter>>()
function memoryOf(deps: Deps): Map<string, Counter> | undefined {
  if (deps.kind !== 'sqlite') return undefined
  let m = inMemory.get(deps)
  if (!m) inMemory.set(deps, (m = new Map()))
  return m
}

/**
 * Runs a counter write without waiting for the disk (see above); everything else is untouched. A
 * write to a logged PostgreSQL table skips the wait in its own transaction (synchronous_commit is
 * set for that transaction only).
 */
async function unsynced<T>(deps: Deps, write: (db: Executor) => Promise<T>, logged = false): Promise<T> {
  if (deps.kind !== 'sqlite') {
    if (!logged) return write(deps.db)
    return deps.db.transaction().execute(async (trx) => {
      await sql`set local synchronous_commit = off`.execute(trx)
      return write(trx)
    })
  }
  // SQLite has one connection: holding it, no other statement runs between the pragmas.
  return deps.db.connection().execute(async (db) => {
    await sql`pragma synchronous = normal`.execute(db)
    try {
      return await write(db)
    } finally {
      await sql`pragma synchronous = full`.execute(db)
    }
  })
}

/** Counts one hit of `key` in its fixed window of `windowMs`: the hits so far, and when the window ends. */
export async function countHit(deps: Deps, key: string, windowMs: number): Promise<{ hits: number; resetAt: number }> {
  const now = deps.clock.now().getTime()
  const windowStart = now - (now % windowMs)
  const resetAt = windowStart + windowMs
  const memory = memoryOf(deps)
  if (memory) {
    const k = `${key}|${windowStart}`
    const c = memory.get(k) ?? { hits: 0, expiresAt: resetAt }
    c.hits++
    memory.set(k, c)
    prune(deps, now)
    return { hits: c.hits, resetAt }
  }
  const hits = await countTogether(deps, key, windowStart, resetAt)
  prune(deps, now)
  return { hits, resetAt }
}

// On PostgreSQL each hit was a round trip of its own, one per request of a rate-limited route (issue
// #15). The hits counted while a statement is on its way are counted together by the next one (one
// writer at a time per database), a key's hits added at once (`hits + n`), and each caller is given
// its own place in the count, exactly as one by one: the n = 10 hits of a key that reach 17 are the
// 8th to the 17th.
type PendingHit = { key: string; windowStart: number; resetAt: number; waiters: Waiter[] }
type Waiter = { resolve: (hits: number) => void; reject: (e: unknown) => void }
type HitWriter = { pending: Map<string, PendingHit>; writing: boolean }
const hitWriters = new WeakMap<Deps, HitWriter>()

function countTogether(deps: Deps, key: string, windowStart: number, resetAt: number): Promise<number> {
  let writer = hitWriters.get(deps)
  if (!writer) hitWriters.set(deps, (writer = { pending: new Map(), writing: false }))
  const w = writer
  return new Promise((resolve, reject) => {
    const id = `${key}|${windowStart}`
    let hit = w.pending.get(id)
    if (!hit) w.pending.set(id, (hit = { key, windowStart, resetAt, waiters: [] }))
    hit.waiters.push({ resolve, reject })
    if (w.writing) return
    w.writing = true
    // The hits of the requests read in this turn of the event loop go together; later ones wait for the write.
    setImmediate(() => {
      void (async () => {
        while (w.pending.size > 0) {
          const hits = [...w.pending.values()]
          w.pending.clear()
          await writeHits(deps, hits)
        }
        w.writing = false
      })()
    })
  })
}

async function writeHits(deps: Deps, hits: readonly PendingHit[]): Promise<void> {
  try {
    const rows = await unsynced(deps, (db) =>
      db
        .insertInto('rate_counters')
        .values(
          hits.map((h) => ({ key: h.key, window_start: h.windowStart, hits: h.waiters.length, expires_at: h.resetAt })),
        )
        .onConflict((oc) =>
          oc
            .columns(['key', 'window_start'])
            .doUpdateSet((eb) => ({ hits: eb('rate_counters.hits', '+', eb.ref('excluded.hits')) })),
        )
        .returning(['key', 'window_start', 'hits'])
        .execute(),
    )
    const totals = new Map(rows.map((r) => [`${r.key}|${Number(r.window_start)}`, Number(r.hits)]))
    for (const h of hits) {
      const total = totals.get(`${h.key}|${h.windowStart}`)
      h.waiters.forEach((w, i) =>
        total === undefined
          ? w.reject(new Error('rate counter not returned'))
          : w.resolve(total - h.waiters.length + 1 + i),
      )
    }
  } catch (e) {
    for (const h of hits) for (const w of h.waiters) w.reject(e)
  }
}

/** The hits of `key` in its current window, without counting one. */
export async function readHits(deps: Deps, key: string, windowMs: number): Promise<{ hits: number; resetAt: number }> {
  const now = deps.clock.now().getTime()
  const windowStart = now - (now % windowMs)
  const memory = memoryOf(deps)
  if (memory) return { hits: memory.get(`${key}|${windowStart}`)?.hits ?? 0, resetAt: windowStart + windowMs }
  const row = await deps.db
    .selectFrom('rate_counters')
    .select('hits')
    .where('key', '=', key)
    .where('window_start', '=', windowStart)
    .executeTakeFirst()
  return { hits: Number(row?.hits ?? 0), resetAt: windowStart + windowMs }
}

/** Marks `key` as used until `expiresAt` (ms); true for the first use, false for every later one. */
export async function spendOnce(deps: Deps, key: string, expiresAt: number): Promise<boolean> {
  const memory = memoryOf(deps)
  if (memory) {
    prune(deps, deps.clock.now().getTime())
    if (memory.has(`${key}|0`)) return false
    memory.set(`${key}|0`, { hits: 1, expiresAt })
    return true
  }
  const inserted = await unsynced(deps, (db) =>
    db
      .insertInto('rate_counters')
      .values({ key, window_start: 0, hits: 1, expires_at: expiresAt })
      .onConflict((oc) => oc.columns(['key', 'window_start']).doNothing())
      .returning('hits')
      .executeTakeFirst(),
  )
  prune(deps, deps.clock.now().getTime())
  return inserted !== undefined
}

/** Each process drops the rows whose window has passed, at most once a minute, after answering. */
function prune(deps: Deps, now: number): void {
  if (now - (lastPrune.get(deps) ?? 0) < pruneEveryMs) return
  lastPrune.set(deps, now)
  const memory = memoryOf(deps)
  if (memory) {
    for (const [k, c] of memory) if (c.expiresAt < now) memory.delete(k)
    return
  }
  setImmediate(() => {
    unsynced(deps, (db) => db.deleteFrom('rate_counters').where('expires_at', '<', now).execute()).catch(
      (err: unknown) => deps.log.error({ err }, 'pruning rate counters failed'),
    )
  })
}

/**
 * Counts a request refused by a rate limit in its route's, address's and hour's row; true for the
 * first refusal of that hour, which alone is written to the audit log (with its fsync). The count
 * itself is written without one, so that a flood costs no disk flush per refused request.
 */
export async function countBlock(deps: Deps, route: string, address: string): Promise<boolean> {
  const now = deps.clock.now()
  const hour = new Date(now.getTime() - (now.getTime() % 3600_000)).toISOString()
  const at = now.toISOString()
  const row = await unsynced(
    deps,
    (db) =>
      db
        .insertInto('rate_limit_blocks')
        .values({ route, address, hour, blocked: 1, first_at: at, last_at: at })
        .onConflict((oc) =>
          oc
            .columns(['route', 'address', 'hour'])
            .doUpdateSet((eb) => ({ blocked: eb('rate_limit_blocks.blocked', '+', 1), last_at: at })),
        )
        .returning('blocked')
        .executeTakeFirstOrThrow(),
    true,
  )
  return Number(row.blocked) === 1
}
