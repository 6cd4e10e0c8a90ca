import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../database.ts'
import { holidaySeed, seededYears } from './seed-2026-11-26-holidays.ts'

// The working-day calendar as data (law-and-format.md §6): rest days and 调休 working days of each
// year's State Council notice, seeded for 2019–2026 from a frozen table (taken once from
// chinese-days); an administrator adds each new year's notice. A year is usable only once its
// notice is recorded in calendar_years.

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
        const rows = holidaySeed.filter(([date]) => date.startsWith(`${year}-`))
        for (const [date, kind, name] of rows)
          await sql`insert into holiday_calendar (date, kind, name) values (${date}, ${kind}, ${name})`.execute(db)
        const source = `国务院办公厅关于${year}年部分节假日安排的通知（chinese-days 1.5.7 数据）`
        await sql`insert into calendar_years (year, source, recorded_at) values (${year}, ${source}, ${at})`.execute(db)
      }
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('calendar_years').execute()
      await db.schema.dropTable('holiday_calendar').execute()
    },
  }
}
