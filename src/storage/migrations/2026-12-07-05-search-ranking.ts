import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'

// Issue #15. Exact BM25 relevance (src/search/ranking.ts): for every gram (bigram, one-character prefix, word) the
// chunks where it weighs most, in impact order (search_postings, at most a capped number per gram); per gram how many
// are listed, the lowest listed impact once the list is full, and the highest impact left out (search_grams); the
// index's chunk and token counts and the average length the impacts were computed with (search_stats). The lists of
// an existing index are built at the server's next start (search_stats.rebuild = 1).

export function searchRanking(kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      if (kind === 'sqlite') {
        await sql`create table search_postings (gram text not null, impact real not null, doc integer not null,
          tf integer not null, dl integer not null, primary key (gram, impact desc, doc desc)) without rowid`.execute(
          db,
        )
        await sql`create table search_grams (gram text primary key, listed integer not null, floor real not null,
          spill real not null) without rowid`.execute(db)
      } else {
        // PostgreSQL: item_search gets the chunk number its rows lacked (a document is item × 256 + chunk).
        await sql`alter table item_search add column chunk integer not null default 0`.execute(db)
        await sql`create table search_postings (gram text not null, impact double precision not null,
          doc bigint not null, tf integer not null, dl integer not null, primary key (gram, impact, doc))`.execute(db)
        await sql`create table search_grams (gram text primary key, listed integer not null,
          floor double precision not null, spill double precision not null)`.execute(db)
      }
      await db.schema
        .createTable('search_stats')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('docs', 'bigint', (c) => c.notNull())
        .addColumn('tokens', 'bigint', (c) => c.notNull())
        .addColumn('snapshot_avg', kind === 'sqlite' ? 'real' : 'double precision', (c) => c.notNull())
        .addColumn('rebuild', 'integer', (c) => c.notNull())
        .execute()
      await sql`insert into search_stats (id, docs, tokens, snapshot_avg, rebuild)
        select 1, 0, 0, 0, case when exists (select 1 from item_search) then 1 else 0 end`.execute(db)
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['search_stats', 'search_grams', 'search_postings'])
        await db.schema.dropTable(table).execute()
      if (kind === 'postgres') await sql`alter table item_search drop column chunk`.execute(db)
    },
  }
}
