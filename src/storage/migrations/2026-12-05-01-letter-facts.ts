import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'

// Letters and decisions (issue #11): what a decision must tell beyond its outcome — the law that
// governs a registration query and where to apply (条例 art. 36 (七)), the agency responsible for
// information this one does not hold (art. 36 (五)) — and, on each letter, the date it bears (the
// step's date, not the day a draft was printed) and its 文号, numbered per agency and year on issue.

export function letterFacts(_kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      // One column per ALTER, as SQLite requires.
      for (const name of ['query_law', 'query_office', 'responsible_agency', 'responsible_contact'])
        await db.schema.alterTable('applications').addColumn(name, 'text').execute()
      const letterColumns: [string, 'text' | 'integer'][] = [
        ['dated_on', 'text'],
        ['reference', 'text'],
        ['reference_agency_id', 'integer'],
        ['reference_year', 'integer'],
        ['reference_seq', 'integer'],
      ]
      for (const [name, type] of letterColumns) await db.schema.alterTable('letters').addColumn(name, type).execute()
      await db.schema
        .createIndex('letters_reference')
        .on('letters')
        .columns(['reference_agency_id', 'reference_year', 'reference_seq'])
        .unique()
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('letters_reference').execute()
      for (const name of ['dated_on', 'reference', 'reference_agency_id', 'reference_year', 'reference_seq'])
        await db.schema.alterTable('letters').dropColumn(name).execute()
      for (const name of ['query_law', 'query_office', 'responsible_agency', 'responsible_contact'])
        await db.schema.alterTable('applications').dropColumn(name).execute()
    },
  }
}
