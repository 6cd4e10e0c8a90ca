import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'

// An interpretation's page (政策解读) lists the policies it names, by 文号 or by title (portal.store.ts itemsNamed): at a
// million items each uncached page scanned the table for them (issue #15). Both are looked up by equality.
// On SQLite the planner's statistics are those written for scale (2026-12-07-02-scale-indexes): each new index gets
// its row too — a title names about one item, a 文号 one or two.

const indexes: readonly (readonly [string, string, string])[] = [
  ['items_title', 'title', '1000000 1'],
  ['items_doc_number', 'doc_number', '1000000 2'],
]

export function itemNames(kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      for (const [name, column] of indexes) await db.schema.createIndex(name).on('items').column(column).execute()
      if (kind === 'sqlite') {
        for (const [name, , stat] of indexes)
          await sql`insert into sqlite_stat1 (tbl, idx, stat) values ('items', ${name}, ${stat})`.execute(db)
        await sql`analyze sqlite_schema`.execute(db)
      }
    },
    async down(db: Kysely<unknown>) {
      for (const [name] of indexes) await db.schema.dropIndex(name).execute()
      if (kind === 'sqlite')
        for (const [name] of indexes) await sql`delete from sqlite_stat1 where idx = ${name}`.execute(db)
    },
  }
}
