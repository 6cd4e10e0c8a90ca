import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'

// One counter that every change of public content moves; processes compare it to drop their page caches.
export function siteState(_kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('site_state')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('generation', 'integer', (c) => c.notNull())
        .execute()
      await sql`insert into site_state (id, generation) values (1, 0)`.execute(db)
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('site_state').execute()
    },
  }
}
