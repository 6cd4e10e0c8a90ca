import { z } from 'zod'
import type { Actor, StaffActor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { readClockSettings, refreshOpenDueDates } from '../applications/due-date.service.ts'
import { writeSetting } from '../settings/settings.store.ts'
import { forgetCalendar, listCalendarYears } from './calendar.store.ts'

// Each November the 系统管理员 records the next year's State Council notice: its rest days and its
// 调休 working days. Until then that year cannot be counted (calendar.ts).

const dateList = z
  .string()
  .transform((v) => v.split(/[\s,，、]+/).filter(Boolean))
  .pipe(z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')))

export const calendarYearForm = z.object({
  year: z.coerce.number({ error: '请填写年份' }).int().min(2019).max(2100),
  source: z.string({ error: '请填写通知名称' }).trim().min(6, '请填写通知名称和文号').max(200),
  holidays: dateList,
  makeupWorkdays: dateList,
})
export type CalendarYearInput = z.infer<typeof calendarYearForm>

export async function recordCalendarYear(deps: Deps, actor: Actor, input: CalendarYearInput): Promise<void> {
  const wrongYear = [...input.holidays, ...input.makeupWorkdays].filter((d) => Number(d.slice(0, 4)) !== input.year)
  if (wrongYear.length)
    throw new AppError('invalid_input', `以下日期不在 ${input.year} 年：${wrongYear.join('、')}`, {
      holidays: `日期须在 ${input.year} 年内`,
    })
  const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay()
  const notWeekend = input.makeupWorkdays.filter((d) => weekday(d) !== 0 && weekday(d) !== 6)
  if (notWeekend.length)
    throw new AppError('invalid_input', `调休上班日应为周六或周日：${notWeekend.join('、')}`, {
      makeupWorkdays: '调休上班日应为周六或周日',
    })
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('holiday_calendar')
      .where('date', '>=', `${input.year}-01-01`)
      .where('date', '<=', `${input.year}-12-31`)
      .execute()
    await trx.deleteFrom('calendar_years').where('year', '=', input.year).execute()
    for (const date of new Set(input.holidays))
      await trx.insertInto('holiday_calendar').values({ date, kind: 'holiday', name: '法定节假日' }).execute()
    for (const date of new Set(input.makeupWorkdays))
      await trx.insertInto('holiday_calendar').values({ date, kind: 'makeup_workday', name: '调休上班' }).execute()
    await trx
      .insertInto('calendar_years')
      .values({ year: input.year, source: input.source, recorded_at: isoNow(deps.clock) })
      .execute()
    await appendAudit(deps, trx, actor, {
      action: 'calendar.year',
      objectType: 'calendar',
      objectId: input.year,
      result: 'success',
      detail: { source: input.source, holidays: input.holidays.length, makeup: input.makeupWorkdays.length },
    })
  })
  forgetCalendar(deps)
  // The open applications whose due date ran into this year, counted 暂定 until now, get their
  // actual due date (issue #11): whoever records the notice, the web form or a script.
  await refreshOpenDueDates(deps)
}

/** The years recorded so far, and whether the fee period pauses the reply clock. */
export async function calendarSettingsOf(deps: Deps) {
  const years = await listCalendarYears(deps.db)
  const feePauses = (await readClockSettings(deps.db)).feePausesClock
  return { years, feePauses }
}

/**
 * Saves whether the time between a fee notice and the payment is left out of the reply period
 * (国办函〔2020〕109号 leaves it to local practice), with its audit entry.
 */
export async function saveFeePauseSetting(deps: Deps, actor: StaffActor, on: boolean): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await writeSetting(trx, 'requests.feePausesClock', on ? 'true' : 'false', actor.id, isoNow(deps.clock))
    await appendAudit(deps, trx, actor, {
      action: 'requests.fee_pause',
      objectType: 'setting',
      objectId: 'requests.feePausesClock',
      result: 'success',
      detail: { on },
    })
  })
}
