import type * as Echarts from 'echarts'
import { listAgencies, listUnits } from '../agencies/agency.store.ts'
import type { Deps } from '../deps.ts'
import { columnHealth } from '../disclosures/column-health.ts'
import { countPublications } from '../disclosures/counts.ts'
import { columnStats } from '../disclosures/disclosure.store.ts'
import { readSetting } from '../settings/settings.store.ts'
import { formatShanghai } from '../clock.ts'

// Dashboards (issue #6): charts rendered on the server as SVG by echarts (stack.md §7; dispose each
// chart, pitfall 21). Each chart carries its data as a table for screen readers and for anyone
// without the image. The SVG holds inline styles, which the page's CSP forbids, so it is shown as a
// data: image rather than inline markup.

/** A series by category; null where there is nothing to measure (a rate without cases, a month still to come). */
export type Series = { name: string; values: (number | null)[] }
export type Chart = {
  title: string
  kind: 'bar' | 'line'
  categories: string[]
  series: Series[]
  unit: string
  svg: string
}

/** echarts (some 600 modules), loaded by the first dashboard rather than at start-up (issue #15). */
let echarts: typeof Echarts | undefined

function render(title: string, kind: 'bar' | 'line', categories: string[], series: Series[], unit: string): Chart {
  const chart = echarts!.init(null, null, { renderer: 'svg', ssr: true, width: 720, height: 300 })
  try {
    chart.setOption({
      animation: false,
      // The title is the figure's caption on the page; inside the chart it would crowd the legend.
      legend: { top: 4, type: 'scroll' },
      grid: { top: 44, left: 48, right: 24, bottom: 32 },
      xAxis: { type: 'category', data: categories },
      yAxis: { type: 'value', name: unit },
      series: series.map((s) => ({
        name: s.name,
        type: kind,
        stack: kind === 'bar' ? 'total' : undefined,
        data: s.values,
      })),
    })
    return { title, kind, categories, series, unit, svg: chart.renderToSVGString() }
  } finally {
    chart.dispose()
  }
}

const outcomeGroups: { name: string; test: (o: string) => boolean }[] = [
  { name: '予以公开', test: (o) => o === 'GRANTED' },
  { name: '部分公开', test: (o) => o === 'PARTIAL' },
  { name: '不予公开', test: (o) => o.startsWith('DENY_') },
  { name: '无法提供', test: (o) => o.startsWith('UNABLE_') },
  { name: '不予处理', test: (o) => o.startsWith('NP_') },
  { name: '其他处理', test: (o) => o.startsWith('OTHER_') },
]

/** The dashboard of one agency, or of the whole region when `agencyId` is undefined, for a year. */
export async function dashboard(deps: Deps, year: number, agencyId?: number): Promise<Chart[]> {
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`)
  // Months still to come have no data: shown as gaps, not as 0 (issue #12).
  const thisMonth = formatShanghai(deps.clock.now().toISOString()).slice(0, 7)
  const past = (m: string) => m <= thisMonth
  const upToNow = <T>(m: string, value: T): T | null => (past(m) ? value : null)
  const labels = months.map((m) => `${Number(m.slice(5))}月`)
  const agencies = (await listAgencies(deps.db)).filter((a) => agencyId === undefined || a.id === agencyId)
  const ids = agencies.map((a) => a.id)

  let q = deps.db
    .selectFrom('applications')
    .select(['concluded_on', 'outcome', 'delivered_on', 'on_time'])
    .where('concluded_on', '>=', `${year}-01-01`)
    .where('concluded_on', '<=', `${year}-12-31`)
  if (ids.length) q = q.where('agency_id', 'in', ids)
  const concluded = ids.length ? await q.execute() : []
  const byOutcome = outcomeGroups.map((g) => ({
    name: g.name,
    values: months.map((m) =>
      upToNow(m, concluded.filter((a) => a.concluded_on!.startsWith(m) && a.outcome && g.test(a.outcome)).length),
    ),
  }))
  const onTime = [
    {
      name: '按期答复率',
      values: months.map((m) => {
        const delivered = concluded.filter((a) => a.delivered_on?.startsWith(m))
        // A month without a delivered reply has no rate: a gap in the line, not 0 %.
        return delivered.length
          ? Math.round((delivered.filter((a) => a.on_time === 1).length / delivered.length) * 1000) / 10
          : null
      }),
    },
  ]

  const perMonth = await Promise.all(
    months.map(async (m) => {
      const last = new Date(Date.UTC(year, Number(m.slice(5)), 0)).getUTCDate()
      return Promise.all(agencies.map((a) => countPublications(deps.db, a.id, `${m}-01`, `${m}-${last}`)))
    }),
  )
  const kinds = [...new Set(perMonth.flat().flatMap((c) => c.byChannelKind.map((k) => k.label)))]
  const byChannel = kinds.map((k) => ({
    name: k,
    values: perMonth.map((cs, i) =>
      upToNow(
        months[i]!,
        cs.reduce((s, c) => s + (c.byChannelKind.find((x) => x.label === k)?.items ?? 0), 0),
      ),
    ),
  }))

  const health = await Promise.all(
    agencies.map(async (a) => columnHealth(await columnStats(deps.db, a.id), deps.clock.now())),
  )
  const staleness = [
    {
      name: '栏目数',
      values: [
        health.reduce((s, h) => s + h.stale, 0),
        health.reduce((s, h) => s + h.longStale, 0),
        health.reduce((s, h) => s + h.empty, 0),
      ],
    },
  ]

  // Quota attainment: the share of units that published at least their monthly quota.
  const quota = await Promise.all(
    agencies.map(async (a) => ({
      units: await listUnits(deps.db, a.id),
      perMonth: Number(JSON.parse((await readSetting(deps.db, `quota:${a.id}`)) ?? '{"perMonth":1}').perMonth),
    })),
  )
  const attainment = [
    {
      name: '达标单位占比',
      values: perMonth.map((cs, m) => {
        if (!past(months[m]!)) return null
        let units = 0
        let met = 0
        cs.forEach((c, i) => {
          const byUnit = new Map(c.byUnit.map((u) => [u.name, u.items]))
          for (const u of quota[i]!.units) {
            units++
            if ((byUnit.get(u.name) ?? 0) >= quota[i]!.perMonth) met++
          }
        })
        return units ? Math.round((met / units) * 1000) / 10 : null
      }),
    },
  ]

  echarts ??= await import('echarts')
  return [
    render(`${year}年各月办结的申请（按办理结果）`, 'bar', labels, byOutcome, '件'),
    render(`${year}年各月按期答复率`, 'line', labels, onTime, '%'),
    render(`${year}年各月发布的信息（按渠道）`, 'bar', labels, byChannel, '条'),
    render('栏目更新情况', 'bar', ['不更新', '长期不更新', '空白'], staleness, '个'),
    render(`${year}年各月信息报送达标情况`, 'line', labels, attainment, '%'),
  ]
}
