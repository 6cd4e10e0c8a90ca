import type { FastifyInstance } from 'fastify'
import { listAgencies } from '../agencies/agency.store.ts'
import { PortalLayout } from '../web/layout.tsx'
import { pageContext } from '../web/request-context.ts'

export function portalRoutes(app: FastifyInstance): void {
  // Read at start: the reference endpoint of the benchmarks does no I/O per request (issue #2).
  const health = { status: 'ok', database: app.deps.kind, schemaVersion: app.deps.schemaVersion }
  app.get('/healthz', async () => health)

  app.get('/', async (request, reply) => {
    const agencies = await listAgencies(app.deps.db)
    const ctx = pageContext(request)
    return reply.page(
      200,
      <PortalLayout ctx={ctx} title="首页">
        <h1>{ctx.regionName}政府信息公开</h1>
        <p>本平台依据《中华人民共和国政府信息公开条例》，集中公开本区域各行政机关的政府信息。</p>
        <section aria-labelledby="agencies-heading">
          <h2 id="agencies-heading">公开主体</h2>
          {agencies.length === 0 ? (
            <p>暂无已登记的机关。</p>
          ) : (
            <ul class="agency-list">
              {agencies.map((a) => (
                <li>
                  <a href={`/agencies/${a.id}`}>{a.name}</a>
                  {a.isSupervising && <span class="tag">政府信息公开工作主管部门</span>}
                </li>
              ))}
            </ul>
          )}
        </section>
      </PortalLayout>,
    )
  })
}
