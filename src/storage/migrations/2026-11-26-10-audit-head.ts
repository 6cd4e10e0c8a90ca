import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'

// PostgreSQL: the audit chain's lock and its head in one round trip. Appends serialise on the
// chain, so every round trip inside that section limits the platform's write rate. A VOLATILE
// function takes a fresh snapshot for each statement it runs, so the head is read after the lock
// is granted and sees the previous holder's committed row.

export function auditHead(kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      if (kind !== 'postgres') return
      await sql`create or replace function audit_chain_head() returns table(seq integer, mac text) language plpgsql volatile as $$
        begin
          perform pg_advisory_xact_lock(70100);
          return query select a.seq, a.mac from audit_log a order by a.seq desc limit 1;
        end $$`.execute(db)
    },
    async down(db: Kysely<unknown>) {
      if (kind === 'postgres') await sql`drop function if exists audit_chain_head()`.execute(db)
    },
  }
}
