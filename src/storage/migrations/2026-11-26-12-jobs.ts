import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'
import { withIdColumn } from './id-column.ts'

// Long-running work (issue #6): a large import runs after the request that started it; its row says
// how far it got and how it ended, so that its owner can leave the page and come back.

export function jobs(kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      await withIdColumn(kind, db.schema.createTable('jobs'))
        .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('done', 'integer', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('message', 'text')
        // A file the job made (a bulk export), stored like uploads, for its owner to download.
        .addColumn('file_key', 'text')
        .addColumn('file_name', 'text')
        .addColumn('file_type', 'text')
        .addColumn('created_by', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('jobs_agency').on('jobs').columns(['agency_id', 'id']).execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('jobs').execute()
    },
  }
}
