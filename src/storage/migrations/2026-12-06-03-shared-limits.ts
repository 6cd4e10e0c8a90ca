import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'

// Several processes on one database behave as one (issue #14). What each process used to count in
// its own memory lives here, shared by all of them:
// - `rate_counters`: fixed-window counters (per-address limits of routes, the application form's
//   limit for submissions without the proof of work) and single-use marks (a proof-of-work challenge
//   spent). One row per key and window, moved by one UPSERT; rows are pruned once they expire. A
//   counter is not a record: on PostgreSQL the table is UNLOGGED (no WAL, no fsync on commit; it is
//   emptied after a crash of the server), and SQLite writes it without the fsync (security/shared-counters.ts).
// - `rate_limit_blocks`: requests refused by a rate limit, counted per route, address and hour in
//   one row, with one audit entry when an address is first blocked in that hour, instead of an
//   audit entry per refused request.
// - `jobs.lease_until`: a job's process renews it while the job runs (a heartbeat); a starting
//   process marks as interrupted only the jobs whose lease has run out.

export function sharedLimits(kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      const counters = db.schema.createTable('rate_counters')
      await (kind === 'postgres' ? counters.modifyFront(sql`unlogged`) : counters)
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('window_start', 'bigint', (c) => c.notNull())
        .addColumn('hits', 'integer', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('rate_counters_pk', ['key', 'window_start'])
        .execute()
      await db.schema.createIndex('rate_counters_expiry').on('rate_counters').column('expires_at').execute()
      await db.schema
        .createTable('rate_limit_blocks')
        .addColumn('route', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('hour', 'text', (c) => c.notNull())
        .addColumn('blocked', 'integer', (c) => c.notNull())
        .addColumn('first_at', 'text', (c) => c.notNull())
        .addColumn('last_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('rate_limit_blocks_pk', ['route', 'address', 'hour'])
        .execute()
      await db.schema.alterTable('jobs').addColumn('lease_until', 'text').execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('jobs').dropColumn('lease_until').execute()
      await db.schema.dropTable('rate_limit_blocks').execute()
      await db.schema.dropTable('rate_counters').execute()
    },
  }
}
