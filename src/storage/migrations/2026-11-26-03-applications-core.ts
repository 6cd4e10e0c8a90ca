import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'
import { withIdColumn } from './id-column.ts'

// The core of the applications table: what the annual report counts (law-and-format.md §8.2) —
// the applicant's category at receipt, the art. 31 receipt date, and the conclusion with its
// outcome. The disclosure-on-request capability (issue #5) adds the rest of the application.

export function applicationsCore(kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      await withIdColumn(kind, db.schema.createTable('applications'))
        .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('applicant_category', 'text', (c) => c.notNull())
        .addColumn('received_on', 'text', (c) => c.notNull())
        .addColumn('concluded_on', 'text')
        .addColumn('outcome', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      // Covering the report's counting query (report-count.sql.ts): a region-year is read from the
      // index alone, without a table lookup per application.
      await db.schema
        .createIndex('applications_report')
        .on('applications')
        .columns(['agency_id', 'received_on', 'concluded_on', 'applicant_category', 'outcome'])
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('applications').execute()
    },
  }
}
