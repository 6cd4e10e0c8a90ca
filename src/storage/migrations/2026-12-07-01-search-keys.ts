import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'

// Issue #15. On SQLite the search index's keys were built from the publication second and the item id's low 16 bits,
// so the newer of two items published in the same second with ids 65,536 apart removed the older from the index
// (search.sqlite.ts now numbers keys within the second). The published items that fell out are listed here; the
// server indexes them again at its next start (repairSearchIndex) and empties the list.

export function searchKeys(kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('search_repair')
        .addColumn('item_id', 'integer', (c) => c.primaryKey())
        .execute()
      if (kind === 'sqlite')
        await sql`insert into search_repair (item_id) select id from items where status = 'published'
          and id not in (select item_id from item_search)`.execute(db)
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('search_repair').execute()
    },
  }
}
