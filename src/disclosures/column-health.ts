import { updateRuleDays } from './column-tree.ts'
import type { ColumnClass } from './column-tree.ts'

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

/**
 * `longStaleDays`: how long is "not updated for a long time" — one year by default [U: the 19号 text gives no figure].
 */
export function columnHealth(stats: readonly ColumnStat[], now: Date, longStaleDays = 365): HealthReport {
  const columns = stats.map((c): ColumnHealth => {
    if (generated.has(c.class) || c.hasChildren) return { ...c, state: 'generated', daysSince: null }
    if (c.published === 0 || !c.lastPublishedAt) return { ...c, state: 'empty', daysSince: null }
    const daysSince = Math.floor((now.getTime() - new Date(c.lastPublishedAt).getTime()) / day)
    const rule = updateRuleDays[c.class as ColumnClass] ?? null
    if (daysSince > longStaleDays) return { ...c, state: 'long_stale', daysSince }
    if (rule !== null && daysSince > rule) return { ...c, state: 'stale', daysSince }
    return { ...c, state: 'ok', daysSince }
  })
  const stale = columns.filter(
    (c) => c.state === 'stale' || (c.state === 'long_stale' && updateRuleDays[c.class as ColumnClass] !== null),
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
