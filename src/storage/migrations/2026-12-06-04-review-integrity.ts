import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'

// Issue #14. Edit-then-approve: whoever changed an item's or a report's content cannot sign its review, as its
// drafter cannot (三审: writing and checking are different people's work); the ids of everyone who changed the
// content after the drafter created it are kept on the row (JSON array; rows that exist already have none recorded).
// Annual reports pass the same confidentiality scan as items before publishing (条例 art. 17): their standing
// findings and the 保密审查 reviewer's clearance are kept on the row, as for items.

export function reviewIntegrity(_kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('items').addColumn('editors', 'text').execute()
      for (const column of ['editors', 'findings', 'cleared_findings'])
        await db.schema.alterTable('annual_reports').addColumn(column, 'text').execute()
    },
    async down(db: Kysely<unknown>) {
      for (const column of ['cleared_findings', 'findings', 'editors'])
        await db.schema.alterTable('annual_reports').dropColumn(column).execute()
      await db.schema.alterTable('items').dropColumn('editors').execute()
    },
  }
}
