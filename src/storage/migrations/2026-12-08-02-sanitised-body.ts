import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'

// Issue #15: the portal's item page ran the body through the sanitiser (cheerio) on every render, about 16 % of its
// CPU. The page's HTML is kept on the row with the key it was made for (the sanitiser's version and a hash of the
// body, rich-text.ts shownBodyKey): a body edited by any path, or a sanitiser changed, no longer matches its key and
// is sanitised again. Existing rows are filled on their first render (at a million items a migration running the
// sanitiser over every body would hold the upgrade for most of an hour).

export function sanitisedBody(_kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('items').addColumn('shown_body', 'text').execute()
      await db.schema.alterTable('items').addColumn('shown_body_key', 'text').execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('items').dropColumn('shown_body_key').execute()
      await db.schema.alterTable('items').dropColumn('shown_body').execute()
    },
  }
}
