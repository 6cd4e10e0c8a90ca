import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'
import { withIdColumn } from './id-column.ts'

// E-mail to the applicant (issue #11): each message is queued in the transaction of the step it
// tells of and sent after the commit by a worker that claims it (status 'sending' until
// claimed_until), retries it with a growing delay and records the last error for the handler. The
// recipient is personal data: encrypted like the application's own e-mail field, and erased with it.

export function mailOutbox(kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      await withIdColumn(kind, db.schema.createTable('mail_outbox'))
        .addColumn('application_id', 'integer', (c) => c.notNull().references('applications.id'))
        .addColumn('application_number', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('recipient_enc', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('claimed_until', 'text')
        .addColumn('last_error', 'text')
        .addColumn('sent_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('mail_outbox_application')
        .on('mail_outbox')
        .columns(['application_id', 'id'])
        .execute()
      await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['status', 'next_attempt_at']).execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('mail_outbox').execute()
    },
  }
}
