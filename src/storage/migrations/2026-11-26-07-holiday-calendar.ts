import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import cd from 'chinese-days'
import type { DatabaseKind } from '../database.ts'

// The working-day calendar as data (law-and-format.md §6): rest days and 调休 working days of each
// year's State Council notice, seeded from chinese-days for 2019–2026; an administrator adds each
// new year's notice. A year is usable only once its notice is recorded in calendar_years.

export const seededYears = [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]

export function holidayCalendar(_kind: DatabaseKind) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('holiday_calendar')
        .addColumn('date', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('calendar_years')
        .addColumn('year', 'integer', (c) => c.primaryKey())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute()
      const at = new Date().toISOString()
      for (const year of seededYears) {
        const rows: { date: string; kind: string; name: string }[] = []
        for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
          const date = d.toISOString().slice(0, 10)
          const detail = cd.getDayDetail(date)
          const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6
          const name = String(detail.name ?? '').split(',')[1] ?? ''
          if (weekend && detail.work) rows.push({ date, kind: 'makeup_workday', name: name || '调休上班' })
          if (!weekend && !detail.work) rows.push({ date, kind: 'holiday', name: name || '法定节假日' })
        }
        for (const r of rows)
          await sql`insert into holiday_calendar (date, kind, name) values (${r.date}, ${r.kind}, ${r.name})`.execute(
            db,
          )
        await sql`insert into calendar_years (year, source, recorded_at) values (${year}, ${`国务院办公厅关于${year}年部分节假日安排的通知（chinese-days 1.5.7 数据）`}, ${at})`.execute(
          db,
        )
      }
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('calendar_years').execute()
      await db.schema.dropTable('holiday_calendar').execute()
    },
  }
}
