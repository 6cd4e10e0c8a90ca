import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'

// The public portal as a 政府信息公开 site (issue #12): every agency gets a 政府信息公开制度 column,
// where it publishes its own rules of disclosure work (保密审查、发布协调、依申请公开办理规程…), as
// the 政府信息公开专栏 of government sites carries one. New agencies get it from the standard tree
// (disclosures/column-tree.ts); this gives it to the agencies that already exist, placed right after
// their 政府信息公开指南. The footer's site settings need no
// schema: they live in the key/value `settings` table.

/** Frozen: the column this migration adds, a copy of the standard tree's entry as it stood then. */
export const rulesColumnSeed = { name: '政府信息公开制度', class: 'rules' } as { name: string; class: string }
/** Frozen: the sort value that places it between 指南 (10) and 目录 (20) of the 2026-11-26 tree. */
const rulesColumnSort = 15

type Row = { id: number }

export function siteSettings(_kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      const k = db as unknown as Kysely<{
        agencies: { id: number }
        columns: {
          agency_id: number
          parent_id: number | null
          name: string
          class: string
          article20_item: number | null
          sort: number
          created_at: string
        }
      }>
      const agencies = (await k.selectFrom('agencies').select('id').orderBy('id').execute()) as Row[]
      const at = new Date().toISOString()
      for (const a of agencies) {
        const has = await k
          .selectFrom('columns')
          .select('agency_id')
          .where('agency_id', '=', a.id)
          .where('class', '=', rulesColumnSeed.class)
          .executeTakeFirst()
        if (has) continue
        await k
          .insertInto('columns')
          .values({
            agency_id: a.id,
            parent_id: null,
            name: rulesColumnSeed.name,
            class: rulesColumnSeed.class,
            article20_item: null,
            sort: rulesColumnSort,
            created_at: at,
          })
          .execute()
      }
    },
    async down(db: Kysely<unknown>) {
      const k = db as unknown as Kysely<{ columns: { class: string; id: number }; items: { column_id: number } }>
      // Only columns nothing was published in are removed; a column in use stays.
      const used = k.selectFrom('items').select('column_id')
      await k.deleteFrom('columns').where('class', '=', rulesColumnSeed.class).where('id', 'not in', used).execute()
    },
  }
}
