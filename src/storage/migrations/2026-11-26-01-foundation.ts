import { sql } from 'kysely'
import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'
import { withIdColumn } from './id-column.ts'

// Regions, agencies, units, accounts, roles, sessions, settings and the append-only audit log.

const text = (c: ColumnDefinitionBuilder) => c.notNull()

export function foundation(kind: DatabaseKind) {
  const withId = <T extends string>(t: CreateTableBuilder<T, never>) => withIdColumn(kind, t)
  return {
    async up(db: Kysely<unknown>) {
      await withId(db.schema.createTable('regions'))
        .addColumn('name', 'text', text)
        .addColumn('created_at', 'text', text)
        .execute()

      await withId(db.schema.createTable('agencies'))
        .addColumn('region_id', 'integer', (c) => c.notNull().references('regions.id'))
        .addColumn('name', 'text', text)
        .addColumn('credit_code', 'text', (c) => c.notNull().unique())
        .addColumn('level', 'text', text)
        .addColumn('kind', 'text', text)
        .addColumn('parent_id', 'integer', (c) => c.references('agencies.id'))
        .addColumn('is_supervising', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', text)
        .addColumn('updated_at', 'text', text)
        .addUniqueConstraint('agencies_region_name', ['region_id', 'name'])
        .execute()

      await withId(db.schema.createTable('units'))
        .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
        .addColumn('name', 'text', text)
        .addColumn('kind', 'text', text)
        .addColumn('created_at', 'text', text)
        .addUniqueConstraint('units_agency_name', ['agency_id', 'name'])
        .execute()

      await withId(db.schema.createTable('users'))
        .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', text)
        .addColumn('password_hash', 'text', text)
        .addColumn('password_set_at', 'text', text)
        .addColumn('password_temporary', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('temporary_expires_at', 'text')
        .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', 'text')
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('totp_secret', 'text')
        .addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('totp_last_step', 'integer')
        .addColumn('created_at', 'text', text)
        .addColumn('last_login_at', 'text')
        .execute()
      await db.schema.createIndex('users_agency').on('users').column('agency_id').execute()

      await withId(db.schema.createTable('password_history'))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('password_hash', 'text', text)
        .addColumn('created_at', 'text', text)
        .execute()
      await db.schema.createIndex('password_history_user').on('password_history').column('user_id').execute()

      await db.schema
        .createTable('user_roles')
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('role', 'text', text)
        .addColumn('review_level', 'integer')
        .addColumn('granted_at', 'text', text)
        .addColumn('granted_by', 'integer', (c) => c.references('users.id'))
        .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'role'])
        .execute()

      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('stage', 'text', text)
        .addColumn('created_at', 'text', text)
        .addColumn('last_seen_at', 'text', text)
        .addColumn('ip', 'text', text)
        .addColumn('user_agent', 'text', text)
        .execute()
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute()

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', text)
        .addColumn('updated_at', 'text', text)
        .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
        .execute()

      // The audit log: sequence numbers, not timestamps, decide order (TIME-06); no foreign keys,
      // so that an entry outlives whatever it names.
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'text', text)
        .addColumn('actor_id', 'integer')
        .addColumn('actor_name', 'text', text)
        .addColumn('actor_roles', 'text', text)
        .addColumn('agency_id', 'integer')
        .addColumn('action', 'text', text)
        .addColumn('object_type', 'text', text)
        .addColumn('object_id', 'text', text)
        .addColumn('source_ip', 'text', text)
        .addColumn('result', 'text', text)
        .addColumn('detail', 'text', text)
        .addColumn('mac', 'text', text)
        .execute()
      await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute()
      await db.schema.createIndex('audit_log_actor').on('audit_log').column('actor_id').execute()

      // No one, administrators included, changes or deletes audit records (等保 §8.1.4.3c-d).
      if (kind === 'sqlite') {
        await sql`create trigger audit_log_no_update before update on audit_log
          begin select raise(abort, 'audit log is append-only'); end`.execute(db)
        await sql`create trigger audit_log_no_delete before delete on audit_log
          begin select raise(abort, 'audit log is append-only'); end`.execute(db)
      } else {
        await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
          begin raise exception 'audit log is append-only'; end $$`.execute(db)
        await sql`create trigger audit_log_no_change before update or delete on audit_log
          for each row execute function audit_log_append_only()`.execute(db)
        await sql`create trigger audit_log_no_truncate before truncate on audit_log
          for each statement execute function audit_log_append_only()`.execute(db)
      }
    },
    async down(db: Kysely<unknown>) {
      for (const t of [
        'audit_log',
        'settings',
        'sessions',
        'user_roles',
        'password_history',
        'users',
        'units',
        'agencies',
        'regions',
      ]) {
        await db.schema.dropTable(t).execute()
      }
      if (kind === 'postgres') await sql`drop function if exists audit_log_append_only()`.execute(db)
    },
  }
}
