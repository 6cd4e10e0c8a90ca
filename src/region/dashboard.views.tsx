import { ConsoleLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import type { Chart } from './dashboard.ts'

// The dashboard page: an agency's own for its staff, the region's for the supervising office.

function ChartView(props: { chart: Chart; index: number }) {
  const c = props.chart
  return (
    <figure class="chart" aria-labelledby={`chart-${props.index}`}>
      <figcaption id={`chart-${props.index}`}>{c.title}</figcaption>
      <img
        src={`data:image/svg+xml;base64,${Buffer.from(c.svg).toString('base64')}`}
        alt={`${c.title}（数据见下表）`}
        width={720}
        height={300}
      />
      <table>
        <caption>
          {c.title}（单位：{c.unit}）
        </caption>
        <thead>
          <tr>
            <th scope="col">项目</th>
            {c.categories.map((x) => (
              <th scope="col">{x}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {c.series.map((s) => (
            <tr>
              <th scope="row">{s.name}</th>
              {s.values.map((v) => (
                <td>{v ?? '—'}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}

export function DashboardPage(props: {
  ctx: PageContext
  title: string
  year: number
  charts: Chart[]
  action: string
}) {
  return (
    <ConsoleLayout ctx={props.ctx} title={props.title}>
      <h1>{props.title}</h1>
      <form method="get" action={props.action} class="filters">
        <div class="field">
          <label for="f-year">年度</label>
          <input id="f-year" name="year" inputMode="numeric" value={String(props.year)} />
        </div>
        <button type="submit">查看</button>
      </form>
      {props.charts.map((c, i) => (
        <ChartView chart={c} index={i} />
      ))}
    </ConsoleLayout>
  )
}
