import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'
import { withIdColumn } from './id-column.ts'

// Article-20 activity records (issue #6, law-and-format.md §2.3–2.4, §8.1 item 5): the list of
// powers with validity dates, dated decisions (or dated counts where another system holds them),
// fee revenue in 分, and central procurement projects.

export function activities(kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      await withIdColumn(kind, db.schema.createTable('power_items'))
        .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('valid_from', 'text', (c) => c.notNull())
        .addColumn('valid_to', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await withIdColumn(kind, db.schema.createTable('activity_decisions'))
        .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('decided_on', 'text', (c) => c.notNull())
        .addColumn('matter', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await withIdColumn(kind, db.schema.createTable('fee_collections'))
        .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
        .addColumn('collected_on', 'text', (c) => c.notNull())
        .addColumn('item', 'text', (c) => c.notNull())
        .addColumn('amount_fen', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await withIdColumn(kind, db.schema.createTable('procurement_projects'))
        .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
        .addColumn('contracted_on', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('amount_fen', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      for (const t of ['power_items', 'activity_decisions', 'fee_collections', 'procurement_projects']) {
        await db.schema.createIndex(`${t}_agency`).on(t).column('agency_id').execute()
      }
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['procurement_projects', 'fee_collections', 'activity_decisions', 'power_items'])
        await db.schema.dropTable(t).execute()
    },
  }
}
