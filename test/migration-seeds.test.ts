import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import cd from 'chinese-days'
import { describe, expect, test } from 'vitest'
import { standardColumns } from '../src/disclosures/column-tree.ts'
import { holidaySeed, seededYears } from '../src/storage/migrations/seed-2026-11-26-holidays.ts'
import { standardColumnsSeed } from '../src/storage/migrations/seed-2026-11-26-standard-columns.ts'
import { rulesColumnSeed } from '../src/storage/migrations/2026-12-05-05-site-settings.ts'
import { migrateTo, migrateToLatest } from '../src/storage/migrate.ts'
import { openDatabase } from '../src/storage/open-database.ts'
import type { ColumnTable } from '../src/storage/database.ts'
import { createPostgresDatabase, databaseKinds, testEnv } from './support/test-deps.ts'
import type { Selectable } from 'kysely'

// A migration inserts frozen data, never live code's: these tests say when the live data has moved
// away from what an old migration inserted, so that the change is made on purpose (a new migration
// for existing databases, and a test updated here), never by accident.

/** The rows migration 07 derived from chinese-days before its seed was frozen (the same loop). */
function holidaysFromChineseDays(years: readonly number[]): [string, string, string][] {
  const rows: [string, string, string][] = []
  for (const year of years) {
    for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
      const date = d.toISOString().slice(0, 10)
      const detail = cd.getDayDetail(date)
      const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6
      const name = String(detail.name ?? '').split(',')[1] ?? ''
      if (weekend && detail.work) rows.push([date, 'makeup_workday', name || '调休上班'])
      if (!weekend && !detail.work) rows.push([date, 'holiday', name || '法定节假日'])
    }
  }
  return rows
}

test('today’s standard column tree is the frozen 2026-11-26 tree plus the 政府信息公开制度 column of 2026-12-05-05', () => {
  const [guide, ...rest] = standardColumnsSeed
  expect(standardColumns).toEqual([guide, rulesColumnSeed, ...rest])
})

test('the frozen 2019–2026 holiday table is what chinese-days says for those years', () => {
  expect(holidaySeed).toEqual(holidaysFromChineseDays(seededYears))
  // Spot checks from the State Council notices themselves, independent of the package.
  expect(holidaySeed).toContainEqual(['2026-02-14', 'makeup_workday', '春节'])
  expect(holidaySeed).toContainEqual(['2025-10-08', 'holiday', '国庆节'])
})

describe.each(databaseKinds)('the migrated calendar on %s', (kind) => {
  test('holds exactly the frozen holiday table, each seeded year recorded', async () => {
    const t = await testEnv(kind)
    try {
      const rows = await t.deps.db
        .selectFrom('holiday_calendar')
        .select(['date', 'kind', 'name'])
        .orderBy('date')
        .execute()
      expect(rows.map((r) => [r.date, r.kind, r.name])).toEqual(holidaySeed)
      const years = await t.deps.db.selectFrom('calendar_years').select('year').orderBy('year').execute()
      expect(years.map((y) => y.year)).toEqual(seededYears)
    } finally {
      await t.close()
    }
  })
})

type ColumnRow = Selectable<ColumnTable>
type Tree = { name: string; class: string; article20Item?: number; children?: Tree }[]

/** The stored column rows of one agency as a tree, in their sort order. */
const treeOf = (rows: readonly ColumnRow[], parent: number | null): Tree =>
  rows
    .filter((r) => r.parent_id === parent)
    .sort((a, b) => a.sort - b.sort)
    .map((r) => {
      const children = treeOf(rows, r.id)
      return {
        name: r.name,
        class: r.class,
        ...(r.article20_item === null ? {} : { article20Item: r.article20_item }),
        ...(children.length ? { children } : {}),
      }
    })

describe.each(databaseKinds)('the 2026-11-26-05 migration on %s', (kind) => {
  test('gives an agency that existed before it the frozen column tree and a portal channel', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gongkai-migration-'))
    const pgDb = kind === 'postgres' ? await createPostgresDatabase() : undefined
    const { db } = openDatabase({ databaseUrl: pgDb?.url, dataDir })
    try {
      await migrateTo(db, kind, '2026-11-26-04-reviews')
      const at = '2026-11-20T02:00:00Z'
      const region = await db
        .insertInto('regions')
        .values({ name: '某县', created_at: at })
        .returning('id')
        .executeTakeFirstOrThrow()
      const agency = await db
        .insertInto('agencies')
        .values({
          region_id: region.id,
          name: '某县人民政府办公室',
          credit_code: '11500231MB1520460X',
          level: '县级',
          kind: '政府办公室',
          parent_id: null,
          created_at: at,
          updated_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await migrateToLatest(db, kind)
      const columns = await db.selectFrom('columns').selectAll().where('agency_id', '=', agency.id).execute()
      // The 2026-11-26 tree, and the 政府信息公开制度 column that 2026-12-05-05 adds after the 指南.
      const [guide, ...rest] = standardColumnsSeed
      expect(treeOf(columns, null)).toEqual([guide, rulesColumnSeed, ...rest])
      const channels = await db
        .selectFrom('channels')
        .select(['name', 'kind'])
        .where('agency_id', '=', agency.id)
        .execute()
      expect(channels).toEqual([{ name: '门户网站', kind: 'portal' }])
    } finally {
      await db.destroy()
      await pgDb?.drop()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
