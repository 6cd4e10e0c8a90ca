import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'

// The search index of published items (stack.md §2.3): token strings from our own Han-bigram
// tokenizer, indexed by FTS5 on SQLite and by a tsvector GIN index on PostgreSQL.

export function search(kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      // Rows carry the publication time so that date order stops early: on SQLite the rowid itself is
      // a date key (search.store.ts), on PostgreSQL an indexed column.
      if (kind === 'sqlite') {
        await sql`create virtual table item_search using fts5(item_id unindexed, published_at unindexed, tokens, tokenize = 'unicode61 remove_diacritics 2', prefix = '1')`.execute(
          db,
        )
      } else {
        await sql`create table item_search (
          item_id integer not null references items(id),
          published_at text not null,
          tokens text not null,
          tsv tsvector generated always as (to_tsvector('simple', tokens)) stored)`.execute(db)
        await sql`create index item_search_tsv on item_search using gin (tsv)`.execute(db)
        await sql`create index item_search_item on item_search (item_id)`.execute(db)
        await sql`create index item_search_date on item_search (published_at desc)`.execute(db)
      }
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table item_search`.execute(db)
    },
  }
}
