import type { CreateTableBuilder } from 'kysely'
import type { DatabaseKind } from '../database.ts'

/** An integer primary key the database assigns: AUTOINCREMENT on SQLite, an identity on PostgreSQL. */
export const withIdColumn = <T extends string>(
  kind: DatabaseKind,
  t: CreateTableBuilder<T, never>,
): CreateTableBuilder<T, 'id'> =>
  kind === 'sqlite'
    ? t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
