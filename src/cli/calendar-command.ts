import { addWorkingDays, CalendarMissing } from '../deadlines/calendar.ts'
import { listCalendarYears, loadCalendar } from '../deadlines/calendar.store.ts'
import type { Deps } from '../deps.ts'

// `gongkai calendar show <year>` and `gongkai calendar workdays <date> <n>`: the working-day calendar
// as the statutory clock sees it, for administrators and for checking a due date by hand.

type Out = { log: (s: string) => void; error: (s: string) => void }
const weekdays = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']
const weekday = (d: string) => weekdays[new Date(`${d}T00:00:00Z`).getUTCDay()]!

export async function calendarCommand(deps: Deps, args: string[], out: Out): Promise<number> {
  const [sub, a, b] = args
  const cal = await loadCalendar(deps.db)
  if (sub === 'show' && a && /^\d{4}$/.test(a)) {
    const year = Number(a)
    if (!cal.years.has(year)) {
      out.error(new CalendarMissing(year).message)
      return 2
    }
    const source = (await listCalendarYears(deps.db)).find((y) => Number(y.year) === year)?.source ?? ''
    const inYear = (s: ReadonlySet<string>) => [...s].filter((d) => d.startsWith(`${year}-`)).sort()
    out.log(`${year} 年工作日安排（${source}）`)
    out.log(`放假（法定节假日及调休休息日）${inYear(cal.holidays).length} 天：`)
    for (const d of inYear(cal.holidays)) out.log(`  ${d} ${weekday(d)}`)
    out.log(`调休上班 ${inYear(cal.makeupWorkdays).length} 天：`)
    for (const d of inYear(cal.makeupWorkdays)) out.log(`  ${d} ${weekday(d)}`)
    return 0
  }
  if (
    sub === 'workdays' &&
    a &&
    /^\d{4}-\d{2}-\d{2}$/.test(a) &&
    b &&
    /^\d+$/.test(b) &&
    !Number.isNaN(Date.parse(a))
  ) {
    try {
      const day = addWorkingDays(cal, a, Number(b))
      out.log(`${day} ${weekday(day)}`)
      return 0
    } catch (e) {
      if (e instanceof CalendarMissing) {
        out.error(e.message)
        return 2
      }
      throw e
    }
  }
  out.error(
    '用法：gongkai calendar show <年份>\n      gongkai calendar workdays <日期 YYYY-MM-DD> <工作日数>（输出该日期之后第 n 个工作日，当日不计）',
  )
  return 2
}
