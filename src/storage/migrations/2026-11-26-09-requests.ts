import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'
import { withIdColumn } from './id-column.ts'

// Disclosure on request (issue #5, law-and-format.md §1.4, §8.1 items 6–11): the rest of the
// application — channel, applicant (personal data encrypted with the field key, a keyed hash to
// find the same applicant again), the information sought, the clock's cached due date, the
// decision and its delivery — its append-only timeline, its files, its letters, and the appeals.

export function requests(kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      const columns: [string, 'text' | 'integer'][] = [
        ['channel', 'text'],
        ['submitted_at', 'text'],
        ['status', 'text'],
        ['applicant_kind', 'text'],
        ['applicant_name_enc', 'text'],
        ['applicant_name_masked', 'text'],
        ['contact_person_enc', 'text'],
        ['id_type', 'text'],
        ['id_number_enc', 'text'],
        ['credit_code', 'text'],
        ['applicant_key', 'text'],
        ['phone_enc', 'text'],
        ['email_enc', 'text'],
        ['address_enc', 'text'],
        ['postcode', 'text'],
        ['info_title', 'text'],
        ['info_doc_number', 'text'],
        ['info_description', 'text'],
        ['wanted_form', 'text'],
        ['delivery_way', 'text'],
        ['needs_assistance', 'integer'],
        ['query_code_enc', 'text'],
        ['idempotency_key', 'text'],
        ['flags', 'text'],
        ['handler_id', 'integer'],
        ['due_on', 'text'],
        ['paused_since', 'text'],
        ['reply_type', 'text'],
        ['legal_basis', 'text'],
        ['decided_on', 'text'],
        ['delivered_method', 'text'],
        ['delivered_on', 'text'],
        ['on_time', 'integer'],
        ['fee_method', 'text'],
        ['fee_amount', 'integer'],
        ['related_application_id', 'integer'],
        ['updated_at', 'text'],
      ]
      // One column per ALTER, as SQLite requires.
      for (const [name, type] of columns) await db.schema.alterTable('applications').addColumn(name, type).execute()
      await db.schema
        .createIndex('applications_idempotency')
        .on('applications')
        .column('idempotency_key')
        .unique()
        .execute()
      await db.schema
        .createIndex('applications_queue')
        .on('applications')
        .columns(['agency_id', 'status', 'due_on'])
        .execute()
      await db.schema
        .createIndex('applications_applicant')
        .on('applications')
        .columns(['applicant_key', 'received_on'])
        .execute()

      await withIdColumn(kind, db.schema.createTable('application_events'))
        .addColumn('application_id', 'integer', (c) => c.notNull().references('applications.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('on_date', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'integer')
        .addColumn('actor_name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('application_events_app')
        .on('application_events')
        .columns(['application_id', 'id'])
        .execute()

      await withIdColumn(kind, db.schema.createTable('application_files'))
        .addColumn('application_id', 'integer', (c) => c.notNull().references('applications.id'))
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('storage_key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()

      await withIdColumn(kind, db.schema.createTable('letters'))
        .addColumn('application_id', 'integer', (c) => c.notNull().references('applications.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('body_enc', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('issued_on', 'text')
        .addColumn('created_by', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('letters_app').on('letters').column('application_id').execute()

      await withIdColumn(kind, db.schema.createTable('appeals'))
        .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
        .addColumn('application_id', 'integer', (c) => c.references('applications.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('filed_on', 'text', (c) => c.notNull())
        .addColumn('raw_result', 'text')
        .addColumn('concluded_on', 'text')
        .addColumn('note', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('appeals_agency').on('appeals').columns(['agency_id', 'filed_on']).execute()
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['appeals', 'letters', 'application_files', 'application_events'])
        await db.schema.dropTable(t).execute()
    },
  }
}
