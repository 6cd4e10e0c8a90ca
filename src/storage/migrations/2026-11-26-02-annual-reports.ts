import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'
import { withIdColumn } from './id-column.ts'

// Annual reports of each agency: drafts computed from records, published versions (frozen; a
// correction supersedes the version before it), and reports of earlier years imported from
// published documents so the cross-year checks have something to compare with.

export function annualReports(kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      await withIdColumn(kind, db.schema.createTable('annual_reports'))
        .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('review_round', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('source_name', 'text')
        .addColumn('override_reason', 'text')
        .addColumn('supersedes_id', 'integer', (c) => c.references('annual_reports.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer', (c) => c.references('users.id'))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text')
        .addColumn('published_by', 'integer', (c) => c.references('users.id'))
        .execute()
      await db.schema
        .createIndex('annual_reports_agency_year')
        .on('annual_reports')
        .columns(['agency_id', 'year'])
        .execute()
      await db.schema.createIndex('annual_reports_status').on('annual_reports').column('status').execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('annual_reports').execute()
    },
  }
}
