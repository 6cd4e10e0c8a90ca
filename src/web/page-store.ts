import type { FastifyBaseLogger } from 'fastify'
import { sql } from 'kysely'
import { createHash } from 'node:crypto'
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Deps } from '../deps.ts'
import { publicContentChanged } from '../portal/public-content.ts'
import { pageReaderOf } from '../storage/sqlite-reader.ts'

// Item pages kept across generations and processes (issue #15): a visitor's random item missed the render cache of a
// few thousand pages and was rendered at about 1 ms (portal bench: 0.05–0.07× /healthz at 30,000 items). Each item
// page, once rendered, is kept compressed (brotli, a fifth of its size) in stored_pages with the layout generation
// it was rendered at. The row is served while the layout generation stands and the row is there: the changes that
// touch an item page delete its row (portal/public-content.ts), and those that may touch every page move the layout
// generation. Writes are batched off the request: a page is kept only if no change of public content came between
// its render and its write, so a page rendered from data a change had not yet committed is never kept.

/** The item whose page a path is, if it is one: item pages, which a region has by the hundred thousand, are kept. */
export function storedItemOf(path: string): number | undefined {
  const m = /^\/items\/(\d{1,15})$/.exec(path)
  return m ? Number(m[1]) : undefined
}

export type StoredPage = { contentType: string; size: number; br: Buffer }

type Row = { item_id: number; content_type: string; size: number; br: Uint8Array; layout_generation: number }
// Each lookup costs a round trip more than the page's bytes: on PostgreSQL the server process and the driver's work
// (portal bench: 0.26× /healthz one query per page), on SQLite the read itself on the server's thread — a kept page of
// a few kilobytes is two pages of the file, mostly out of SQLite's cache at a region's scale (a tenth of an item
// request's CPU, 25 µs of 257). Lookups asked in the same turn of the event loop are sent as one query, and on SQLite
// to a reader thread of its own (storage/sqlite-reader.ts): the server's thread only sends and receives, as it does
// with PostgreSQL (portal bench at 30,000 items, SQLite items 0.43–0.50× /healthz before, issue #15).
const batches = new WeakMap<object, (id: number) => Promise<Row | undefined>>()

function lookupQuery(deps: Deps, ids: readonly number[]) {
  return deps.kind === 'postgres'
    ? sql<Row>`select item_id, content_type, size, br, layout_generation from stored_pages
        where item_id = any(${ids}::bigint[])`
    : sql<Row>`select item_id, content_type, size, br, layout_generation from stored_pages
        where item_id in (select value from json_each(${JSON.stringify(ids)}))`
}

async function readLookup(deps: Deps, ids: readonly number[]): Promise<Row[]> {
  const query = lookupQuery(deps, ids)
  const reader = deps.kind === 'sqlite' ? pageReaderOf(deps.db) : undefined
  if (reader) {
    try {
      return await reader.all<Row>(query.compile(deps.db))
    } catch {
      // The reader could not run it (it stopped, or failed a moment ago): read here.
    }
  }
  return (await query.execute(deps.db)).rows
}

function batchedLookup(deps: Deps): (id: number) => Promise<Row | undefined> {
  let batch = batches.get(deps.db)
  if (batch) return batch
  let waiting: { id: number; done: (row: Row | undefined) => void; failed: (e: unknown) => void }[] = []
  const run = async () => {
    const asked = waiting
    waiting = []
    try {
      const rows = await readLookup(deps, [...new Set(asked.map((w) => w.id))])
      const byId = new Map(rows.map((r) => [Number(r.item_id), r]))
      for (const w of asked) w.done(byId.get(w.id))
    } catch (e) {
      for (const w of asked) w.failed(e)
    }
  }
  batch = (id: number) =>
    new Promise<Row | undefined>((done, failed) => {
      if (waiting.push({ id, done, failed }) === 1) setImmediate(() => void run())
    })
  batches.set(deps.db, batch)
  return batch
}

/** An item's kept page, if it was rendered at this layout generation and nothing has changed it since. */
export async function findStoredPage(deps: Deps, itemId: number, layout: number): Promise<StoredPage | undefined> {
  const row = await batchedLookup(deps)(itemId)
  if (!row || Number(row.layout_generation) !== layout) return undefined
  // From the reader's thread a Uint8Array: wrapped, not copied.
  const br = Buffer.isBuffer(row.br) ? row.br : Buffer.from(row.br.buffer, row.br.byteOffset, row.br.byteLength)
  return { contentType: row.content_type, size: Number(row.size), br }
}

let version: string | undefined

/**
 * The running code, as a digest of its files' names, sizes and times: an upgrade (or any rebuild) gives another,
 * and the pages kept by the code before are not served, since a view, the layout or the sanitiser may have changed
 * (an HTML sanitiser fixed for a hole must not leave the pages it made). Read once per process.
 */
export function codeVersion(): string {
  if (version) return version
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
  const digest = createHash('sha256')
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (/\.(?:tsx?|m?js|json|txt)$/.test(entry.name)) {
        const s = statSync(full)
        digest.update(`${path.relative(root, full)}\0${s.size}\0${s.mtimeMs}\n`)
      }
    }
  }
  walk(root)
  return (version = digest.digest('hex').slice(0, 24))
}

/** Voids every kept page if they were rendered by other code than `current` (at start, off the start-up path). */
export async function ensureRenderVersion(deps: Deps, current: string): Promise<void> {
  const row = await deps.db.selectFrom('site_state').select('render_version').where('id', '=', 1).executeTakeFirst()
  if (!row || row.render_version === current) return
  const kept = await deps.db.selectFrom('stored_pages').select('item_id').limit(1).executeTakeFirst()
  if (!kept) {
    await deps.db.updateTable('site_state').set({ render_version: current }).where('id', '=', 1).execute()
    return
  }
  await deps.db.transaction().execute(async (trx) => {
    await publicContentChanged(trx)
    await trx.updateTable('site_state').set({ render_version: current }).where('id', '=', 1).execute()
  })
}

export type PageToStore = StoredPage & { itemId: number; generation: number; layout: number }

// A batch is written this long after its first page, or at this many pages.
const batchDelayMs = 50
const batchPages = 200
// Pages waiting beyond this are dropped: a cache may forget, a burst of renders must not grow memory.
const maxWaiting = 2000

/** Keeps rendered pages in batches, each in one transaction, off the request that rendered them. */
export function pageStoreWriter(deps: Deps, log: FastifyBaseLogger) {
  const waiting: PageToStore[] = []
  let timer: NodeJS.Timeout | undefined
  let writing: Promise<void> = Promise.resolve()
  // Pages taken for a batch not yet written: they count against maxWaiting too, so a stalled write holds no more.
  let inFlight = 0

  const write = async (batch: PageToStore[]) => {
    await deps.db.transaction().execute(async (trx) => {
      // The generation read is the last committed one, and no change of public content commits before this batch
      // does: on PostgreSQL FOR SHARE waits for a change in flight (they all move this row) and holds off the next;
      // on SQLite the transaction began holding the write lock (BEGIN IMMEDIATE, open-database.ts).
      const base = trx.selectFrom('site_state').select('generation').where('id', '=', 1)
      const row = await (deps.kind === 'postgres' ? base.forShare() : base).executeTakeFirst()
      const generation = Number(row?.generation ?? 0)
      const current = new Map<number, PageToStore>()
      for (const page of batch) if (page.generation === generation) current.set(page.itemId, page)
      if (current.size === 0) return
      await trx
        .insertInto('stored_pages')
        .values(
          [...current.values()].map((p) => ({
            item_id: p.itemId,
            layout_generation: p.layout,
            content_type: p.contentType,
            size: p.size,
            br: p.br,
          })),
        )
        .onConflict((oc) =>
          oc.column('item_id').doUpdateSet((eb) => ({
            layout_generation: eb.ref('excluded.layout_generation'),
            content_type: eb.ref('excluded.content_type'),
            size: eb.ref('excluded.size'),
            br: eb.ref('excluded.br'),
          })),
        )
        .execute()
    })
  }

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer)
    timer = undefined
    const batch = waiting.splice(0, batchPages)
    inFlight += batch.length
    if (batch.length > 0)
      writing = writing
        .then(() => write(batch))
        .catch((err: unknown) => log.warn({ err }, 'keeping rendered pages failed; they are rendered again'))
        .finally(() => (inFlight -= batch.length))
    if (waiting.length > 0) timer = setTimeout(flush, batchDelayMs)
    return writing
  }

  return {
    add(page: PageToStore) {
      if (waiting.length + inFlight >= maxWaiting) return
      waiting.push(page)
      if (waiting.length >= batchPages) void flush()
      else timer ??= setTimeout(flush, batchDelayMs)
    },
    /** Writes what waits; on close, before the database goes. */
    async close() {
      while (waiting.length > 0) await flush()
      await writing
    },
  }
}
