import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'
import { withIdColumn } from './id-column.ts'

// Issue #14, 三员分立: a password reset no longer shows the 系统管理员 a password. It sends the user a
// one-time link through the mail outbox, to the address the user registered; only the link's hash is
// kept (password_resets), for a short time and a single use. So: each account gets its own e-mail
// address (encrypted like any personal field, set by its owner), and the outbox carries messages to
// staff as well as to applicants: application_id becomes optional, a message may name a user instead,
// and carry its own body (encrypted; erased once sent).

export function passwordReset(kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('users').addColumn('email_enc', 'text').execute()
      await withIdColumn(kind, db.schema.createTable('password_resets'))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('created_by', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('password_resets_user').on('password_resets').column('user_id').execute()
      if (kind === 'postgres') {
        await db.schema
          .alterTable('mail_outbox')
          .alterColumn('application_id', (c) => c.dropNotNull())
          .execute()
        await db.schema
          .alterTable('mail_outbox')
          .alterColumn('application_number', (c) => c.dropNotNull())
          .execute()
        await db.schema
          .alterTable('mail_outbox')
          .addColumn('user_id', 'integer', (c) => c.references('users.id'))
          .execute()
        await db.schema.alterTable('mail_outbox').addColumn('body_enc', 'text').execute()
        return
      }
      // SQLite cannot drop NOT NULL: the table is made again, rows and ids kept.
      await withIdColumn(kind, db.schema.createTable('mail_outbox_new'))
        .addColumn('application_id', 'integer', (c) => c.references('applications.id'))
        .addColumn('application_number', 'text')
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
        .addColumn('user_id', 'integer', (c) => c.references('users.id'))
        .addColumn('body_enc', 'text')
        .execute()
      const columns = sql.raw(
        'id, application_id, application_number, kind, recipient_enc, status, attempts, next_attempt_at, ' +
          'claimed_until, last_error, sent_at, created_at, updated_at',
      )
      await sql`insert into mail_outbox_new (${columns}) select ${columns} from mail_outbox`.execute(db)
      await db.schema.dropTable('mail_outbox').execute()
      await sql`alter table mail_outbox_new rename to mail_outbox`.execute(db)
      await db.schema
        .createIndex('mail_outbox_application')
        .on('mail_outbox')
        .columns(['application_id', 'id'])
        .execute()
      await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['status', 'next_attempt_at']).execute()
    },
    async down(db: Kysely<unknown>) {
      // Messages to staff go; the applicants' stay.
      await sql`delete from mail_outbox where application_id is null`.execute(db)
      await db.schema.alterTable('mail_outbox').dropColumn('body_enc').execute()
      await db.schema.alterTable('mail_outbox').dropColumn('user_id').execute()
      if (kind === 'postgres') {
        await db.schema
          .alterTable('mail_outbox')
          .alterColumn('application_id', (c) => c.setNotNull())
          .execute()
        await db.schema
          .alterTable('mail_outbox')
          .alterColumn('application_number', (c) => c.setNotNull())
          .execute()
      }
      await db.schema.dropTable('password_resets').execute()
      await db.schema.alterTable('users').dropColumn('email_enc').execute()
    },
  }
}
