import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'

// Issue #15: an item page is rendered at about 1 ms, and a visitor's random item misses a render cache of a few
// thousand pages (portal bench: 0.05–0.07× /healthz at 30,000 items). Item pages are kept, compressed (brotli), in
// stored_pages: one row per item, read by its key, shared by every process and kept across restarts. A row holds
// the layout generation it was rendered at (site_state.layout_generation, moved by any change that can touch every
// page: an agency or column renamed, the footer, the setup); an item's publication, withdrawal or validity change
// deletes its own row and its related items' rows (portal/public-content.ts); and site_state.render_version names
// the code that rendered them, so that an upgrade voids them all (web/page-store.ts). It is a cache: deleting every row
// loses nothing. On PostgreSQL the table is unlogged, so it costs no WAL and is emptied after a crash.

export function storedPages(kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('site_state')
        .addColumn('layout_generation', 'integer', (c) => c.notNull().defaultTo(0))
        .execute()
      await db.schema.alterTable('site_state').addColumn('render_version', 'text').execute()
      const bytes = kind === 'postgres' ? sql`bytea` : sql`blob`
      const table = kind === 'postgres' ? sql`create unlogged table` : sql`create table`
      await sql`${table} stored_pages (
        item_id integer primary key,
        layout_generation integer not null,
        content_type text not null,
        size integer not null,
        br ${bytes} not null
      )`.execute(db)
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('stored_pages').execute()
      await db.schema.alterTable('site_state').dropColumn('render_version').execute()
      await db.schema.alterTable('site_state').dropColumn('layout_generation').execute()
    },
  }
}
