import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'
import { withIdColumn } from './id-column.ts'

// Review signatures (先审后发) of any reviewed object: annual reports now, disclosure items with #4.

export function reviews(kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      await withIdColumn(kind, db.schema.createTable('reviews'))
        .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
        .addColumn('object_type', 'text', (c) => c.notNull())
        .addColumn('object_id', 'integer', (c) => c.notNull())
        .addColumn('round', 'integer', (c) => c.notNull())
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('reviewer_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('checks', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .addUniqueConstraint('reviews_one_signature_per_level', ['object_type', 'object_id', 'round', 'level'])
        .execute()
      await db.schema.createIndex('reviews_object').on('reviews').columns(['object_type', 'object_id']).execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('reviews').execute()
    },
  }
}
