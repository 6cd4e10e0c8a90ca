import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'
import { withIdColumn } from './id-column.ts'
import { standardColumnsSeed } from './seed-2026-11-26-standard-columns.ts'
import type { SeedColumn } from './seed-2026-11-26-standard-columns.ts'

// Proactive disclosure: each agency's columns, its items with the catalogue metadata, and the
// serials behind index numbers. Agencies that exist already get the standard column tree as it
// stood on this date (a frozen seed; new agencies get today's tree from disclosures/).

export function disclosures(kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      await withIdColumn(kind, db.schema.createTable('columns'))
        .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
        .addColumn('parent_id', 'integer', (c) => c.references('columns.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('class', 'text', (c) => c.notNull())
        .addColumn('article20_item', 'integer')
        .addColumn('sort', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('columns_agency').on('columns').column('agency_id').execute()

      await withIdColumn(kind, db.schema.createTable('channels'))
        .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('channels_agency_name', ['agency_id', 'name'])
        .execute()

      await withIdColumn(kind, db.schema.createTable('items'))
        .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
        .addColumn('column_id', 'integer', (c) => c.notNull().references('columns.id'))
        .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
        .addColumn('primary_channel_id', 'integer', (c) => c.references('channels.id'))
        .addColumn('index_number', 'text', (c) => c.notNull().unique())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('doc_number', 'text')
        .addColumn('written_on', 'text')
        .addColumn('formed_on', 'text', (c) => c.notNull())
        .addColumn('topic', 'text')
        .addColumn('genre', 'text')
        .addColumn('keywords', 'text')
        .addColumn('summary', 'text')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('doc_kind', 'text')
        .addColumn('validity', 'text', (c) => c.notNull())
        .addColumn('effective_on', 'text')
        .addColumn('repealed_on', 'text')
        .addColumn('lapsed_on', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull().defaultTo('platform'))
        .addColumn('review_round', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('findings', 'text')
        .addColumn('cleared_findings', 'text')
        .addColumn('withdrawn_reason', 'text')
        .addColumn('scheduled_at', 'text')
        .addColumn('scheduled_by', 'integer', (c) => c.references('users.id'))
        .addColumn('created_by', 'integer', (c) => c.references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text')
        .addColumn('published_by', 'integer', (c) => c.references('users.id'))
        .execute()
      await db.schema
        .createIndex('items_agency_status')
        .on('items')
        .columns(['agency_id', 'status', 'published_at'])
        .execute()
      await db.schema.createIndex('items_column').on('items').columns(['column_id', 'status', 'published_at']).execute()

      await withIdColumn(kind, db.schema.createTable('attachments'))
        .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id'))
        .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('storage_key', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer', (c) => c.references('users.id'))
        .execute()
      await db.schema.createIndex('attachments_item').on('attachments').column('item_id').execute()

      await db.schema
        .createTable('item_channels')
        .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id'))
        .addColumn('channel_id', 'integer', (c) => c.notNull().references('channels.id'))
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addColumn('link', 'text')
        .addColumn('recorded_by', 'integer', (c) => c.references('users.id'))
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('item_channels_pk', ['item_id', 'channel_id'])
        .execute()

      await db.schema
        .createTable('index_serials')
        .addColumn('agency_id', 'integer', (c) => c.notNull().references('agencies.id'))
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('last', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('index_serials_pk', ['agency_id', 'year'])
        .execute()

      const agencies = await sql<{ id: number }>`select id from agencies`.execute(db)
      for (const a of agencies.rows) {
        await insertColumnTree(db, a.id, standardColumnsSeed, null, new Date().toISOString())
        await insertPortalChannel(db, a.id, new Date().toISOString())
      }
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['index_serials', 'item_channels', 'attachments', 'items', 'channels', 'columns'])
        await db.schema.dropTable(t).execute()
    },
  }
}

// The inserts as they ran on this date, kept here so that later changes to the live column code
// cannot change what this migration does.
async function insertColumnTree(
  db: Kysely<unknown>,
  agencyId: number,
  tree: readonly SeedColumn[],
  parentId: number | null,
  at: string,
): Promise<void> {
  let sort = 0
  for (const col of tree) {
    sort += 10
    const row = await sql<{ id: number }>`
      insert into columns (agency_id, parent_id, name, class, article20_item, sort, created_at)
      values (${agencyId}, ${parentId}, ${col.name}, ${col.class}, ${col.article20Item ?? null}, ${sort}, ${at})
      returning id`.execute(db)
    if (col.children) await insertColumnTree(db, agencyId, col.children, row.rows[0]!.id, at)
  }
}

async function insertPortalChannel(db: Kysely<unknown>, agencyId: number, at: string): Promise<void> {
  const values = sql.join([agencyId, '门户网站', 'portal', at])
  await sql`insert into channels (agency_id, name, kind, created_at) values (${values})`.execute(db)
}
