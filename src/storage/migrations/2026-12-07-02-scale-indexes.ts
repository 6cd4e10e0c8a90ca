import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'

// Issue #15 §2: at a million items every query that serves a request or a periodic task walks an index in the order
// it answers, never the whole table. The scheduler finds approved items by their scheduled time; the catalogues page
// by (published_at, id) under each filter they offer (agency or column, genre; the year is a range of published_at),
// so a page is a keyset range of 51 entries; the sitemaps read published ids in id ranges. `id` is spelled out in
// every index: SQLite keeps the rowid in each index anyway, PostgreSQL needs it to order ties and to seek past them.

const indexes: readonly (readonly [string, readonly string[]])[] = [
  ['items_due', ['status', 'scheduled_at']],
  ['items_published', ['status', 'published_at', 'id']],
  ['items_published_genre', ['status', 'genre', 'published_at', 'id']],
  ['items_agency_published', ['agency_id', 'status', 'published_at', 'id']],
  ['items_agency_genre', ['agency_id', 'status', 'genre', 'published_at', 'id']],
  ['items_column_published', ['column_id', 'status', 'published_at', 'id']],
  ['items_column_genre', ['column_id', 'status', 'genre', 'published_at', 'id']],
  ['items_status_id', ['status', 'id']],
]

// SQLite plans without statistics unless ANALYZE ran, and then takes every index that starts with an equality as
// equally selective: with genre and year it walked (status, published_at) past every other genre. These are the
// statistics of a region at a million items (sqlite_stat1: rows, then rows per distinct prefix of the index), written
// once so that plans are those of scale from the first item on; a later ANALYZE replaces them with measured ones.
const sqliteStats: readonly (readonly [string | null, string])[] = [
  [null, '1000000'],
  ['items_due', '1000000 250000 1'],
  ['items_published', '1000000 250000 5 1'],
  ['items_published_genre', '1000000 250000 12500 2 1'],
  ['items_agency_published', '1000000 20000 5000 2 1'],
  ['items_agency_genre', '1000000 20000 5000 250 1 1'],
  ['items_column_published', '1000000 1000 250 1 1'],
  ['items_column_genre', '1000000 1000 250 12 1 1'],
  ['items_column', '1000000 1000 250 1'],
  ['items_status_id', '1000000 250000 1'],
  ['sqlite_autoindex_items_1', '1000000 1'],
]

export function scaleIndexes(kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      for (const [name, columns] of indexes)
        await db.schema
          .createIndex(name)
          .on('items')
          .columns([...columns])
          .execute()
      // (agency_id, status, published_at, id) covers every query the old (agency_id, status, published_at) served.
      await db.schema.dropIndex('items_agency_status').execute()
      if (kind === 'sqlite') {
        // ANALYZE of a few rows creates sqlite_stat1; its rows for items are then replaced, and the schema reloaded.
        await sql`pragma analysis_limit = 100`.execute(db)
        await sql`analyze items`.execute(db)
        await sql`delete from sqlite_stat1 where tbl = 'items'`.execute(db)
        for (const [idx, stat] of sqliteStats)
          await sql`insert into sqlite_stat1 (tbl, idx, stat) values ('items', ${idx}, ${stat})`.execute(db)
        await sql`analyze sqlite_schema`.execute(db)
      }
    },
    async down(db: Kysely<unknown>) {
      await db.schema
        .createIndex('items_agency_status')
        .on('items')
        .columns(['agency_id', 'status', 'published_at'])
        .execute()
      for (const [name] of [...indexes].reverse()) await db.schema.dropIndex(name).execute()
      if (kind === 'sqlite') await sql`delete from sqlite_stat1 where tbl = 'items'`.execute(db)
    },
  }
}
