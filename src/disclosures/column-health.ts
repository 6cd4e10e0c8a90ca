import { updateRule } from './column-tree.ts'
import type { ColumnClass, UpdatePeriod } from './column-tree.ts'

// Column health by the website inspection indicators (国办秘函〔2019〕19号, law-and-format.md §4):
// 动态/要闻 stale after 2 weeks, 通知公告/政策文件 after 6 months — five stale columns fail the site;
// ten columns left unupdated for a long time fail it; five empty columns fail it.

export type ColumnStat = {
  id: number
  name: string
  class: ColumnClass | string
  lastPublishedAt: string | null
  published: number
  hasChildren: boolean
}
export type ColumnState = 'ok' | 'stale' | 'long_stale' | 'empty' | 'generated'
export type ColumnHealth = ColumnStat & { state: ColumnState; daysSince: number | null }
export type HealthReport = { columns: ColumnHealth[]; stale: number; longStale: number; empty: number; veto: string[] }

/**
 * Columns filled from elsewhere (the guide from settings, the catalogue from items, the annual reports): never empty,
 * never stale.
 */
const generated = new Set(['guide', 'catalogue', 'report'])

const day = 86_400_000
const beijing = 8 * 3_600_000

/**
 * The instant a period that starts at `from` runs out. Months are calendar months in Beijing time, ending on the
 * corresponding day, or on the month's last day when there is none (民法典 art. 202).
 */
function periodEnd(from: Date, period: UpdatePeriod): Date {
  if ('days' in period) return new Date(from.getTime() + period.days * day)
  // China keeps no daylight saving time: Beijing wall time is UTC+8 all year.
  const local = new Date(from.getTime() + beijing)
  const target = local.getUTCMonth() + period.months
  const lastDay = new Date(Date.UTC(local.getUTCFullYear(), target + 1, 0)).getUTCDate()
  const dayOfMonth = Math.min(local.getUTCDate(), lastDay)
  local.setUTCDate(1)
  local.setUTCMonth(target)
  local.setUTCDate(dayOfMonth)
  return new Date(local.getTime() - beijing)
}

/**
 * `longStaleAfter`: how long is "not updated for a long time" — one year by default [U: the 19号 text gives no figure].
 * "2周以上" and "6个月以上" include the period itself (民法典 art. 1259): a column is stale from the instant its
 * period has fully run, compared exactly, never in rounded days.
 */
export function columnHealth(
  stats: readonly ColumnStat[],
  now: Date,
  longStaleAfter: UpdatePeriod = { months: 12 },
): HealthReport {
  const columns = stats.map((c): ColumnHealth => {
    if (generated.has(c.class) || c.hasChildren) return { ...c, state: 'generated', daysSince: null }
    if (c.published === 0 || !c.lastPublishedAt) return { ...c, state: 'empty', daysSince: null }
    const last = new Date(c.lastPublishedAt)
    const daysSince = Math.floor((now.getTime() - last.getTime()) / day)
    const rule = updateRule[c.class as ColumnClass] ?? null
    if (now >= periodEnd(last, longStaleAfter)) return { ...c, state: 'long_stale', daysSince }
    if (rule !== null && now >= periodEnd(last, rule)) return { ...c, state: 'stale', daysSince }
    return { ...c, state: 'ok', daysSince }
  })
  const stale = columns.filter(
    (c) => c.state === 'stale' || (c.state === 'long_stale' && updateRule[c.class as ColumnClass] != null),
  ).length
  const longStale = columns.filter((c) => c.state === 'long_stale').length
  const empty = columns.filter((c) => c.state === 'empty').length
  const veto = [
    ...(stale >= 5 ? [`应更新而未按期更新的栏目 ${stale} 个（达到 5 个即单项否决）`] : []),
    ...(longStale >= 10 ? [`长期未更新的栏目 ${longStale} 个（达到 10 个即单项否决）`] : []),
    ...(empty >= 5 ? [`空白栏目 ${empty} 个（达到 5 个即单项否决）`] : []),
  ]
  return { columns, stale, longStale, empty, veto }
}
