import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'
import { withIdColumn } from './id-column.ts'

// Issue #11. A due date that runs into a year whose holiday notice is not out yet is 暂定: the row
// says so beside the cached due date, so the queues can label it. The applicant answers a 补正 online
// (条例 art. 30): the answer's text, encrypted like the other personal data, and the files sent with it.

export function provisionalDue(kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('applications')
        .addColumn('due_provisional', 'integer', (c) => c.notNull().defaultTo(0))
        .execute()
      await withIdColumn(kind, db.schema.createTable('correction_answers'))
        .addColumn('application_id', 'integer', (c) => c.notNull().references('applications.id'))
        .addColumn('answered_on', 'text', (c) => c.notNull())
        .addColumn('text_enc', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('correction_answers_application')
        .on('correction_answers')
        .column('application_id')
        .execute()
      await db.schema.alterTable('application_files').addColumn('correction_answer_id', 'integer').execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('application_files').dropColumn('correction_answer_id').execute()
      await db.schema.dropTable('correction_answers').execute()
      await db.schema.alterTable('applications').dropColumn('due_provisional').execute()
    },
  }
}
