import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { formatShanghai } from '../clock.ts'
import { ConsoleLayout } from '../web/layout.tsx'
import { dashboard } from './dashboard.ts'
import type { Chart } from './dashboard.ts'
import { pageContext, requireStaff } from '../web/request-context.ts'

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
                <td>{v}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}

export function dashboardRoutes(app: FastifyInstance): void {
  const deps = app.deps
  const yearOf = (request: FastifyRequest) => {
    const thisYear = Number(formatShanghai(deps.clock.now().toISOString()).slice(0, 4))
    return z.coerce
      .number()
      .int()
      .min(2019)
      .max(thisYear)
      .catch(thisYear)
      .parse((request.query as Record<string, string>).year)
  }
  const page = (request: FastifyRequest, title: string, year: number, charts: Chart[], action: string) => (
    <ConsoleLayout ctx={pageContext(request)} title={title}>
      <h1>{title}</h1>
      <form method="get" action={action} class="filters">
        <div class="field">
          <label for="f-year">年度</label>
          <input id="f-year" name="year" inputMode="numeric" value={String(year)} />
        </div>
        <button type="submit">查看</button>
      </form>
      {charts.map((c, i) => (
        <ChartView chart={c} index={i} />
      ))}
    </ConsoleLayout>
  )

  app.get('/console/dashboard', async (request, reply) => {
    const year = yearOf(request)
    return reply.page(
      200,
      page(
        request,
        '数据看板',
        year,
        await dashboard(deps, year, requireStaff(request).agencyId),
        '/console/dashboard',
      ),
    )
  })

  app.get('/console/region/dashboard', async (request, reply) => {
    const year = yearOf(request)
    return reply.page(
      200,
      page(request, '区域数据看板', year, await dashboard(deps, year), '/console/region/dashboard'),
    )
  })
}
