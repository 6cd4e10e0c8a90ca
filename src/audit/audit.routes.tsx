import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { exportAuditLog, readAuditLog } from './audit.service.ts'
import type { AuditFilter } from './audit.store.ts'
import { AuditPage, auditCsv } from './audit.views.tsx'
import type { FilterQuery } from './audit.views.tsx'
import { pageContext } from '../web/request-context.ts'

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .or(z.literal('').transform(() => undefined))
const filterQuery = z.object({
  actor: z.string().max(60).optional(),
  action: z.string().max(60).optional(),
  result: z.enum(['', 'success', 'failure', 'denied']).optional(),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(100000).optional(),
  verify: z.literal('1').optional(),
})

// Dates are chosen in Beijing time and compared as UTC instants.
const startOfShanghaiDay = (d: string) => new Date(`${d}T00:00:00+08:00`).toISOString()
const nextShanghaiDay = (d: string) => new Date(new Date(`${d}T00:00:00+08:00`).getTime() + 86_400_000).toISOString()

const toFilter = (q: FilterQuery): AuditFilter => ({
  actor: q.actor?.trim() || undefined,
  action: q.action?.trim() || undefined,
  result: q.result || undefined,
  from: q.from ? startOfShanghaiDay(q.from) : undefined,
  to: q.to ? nextShanghaiDay(q.to) : undefined,
})

export function auditRoutes(app: FastifyInstance): void {
  const deps = app.deps

  app.get('/console/audit', async (request, reply) => {
    const parsed = filterQuery.safeParse(request.query)
    const q = parsed.success ? parsed.data : {}
    const { rows, chain } = await readAuditLog(deps, request.actor, toFilter(q), q.page ?? 1, Boolean(q.verify))
    return reply.page(200, <AuditPage ctx={pageContext(request)} rows={rows} q={q} chain={chain} />)
  })

  app.get('/console/audit/export', async (request, reply) => {
    const parsed = filterQuery.safeParse(request.query)
    const q = parsed.success ? parsed.data : {}
    const rows = await exportAuditLog(deps, request.actor, toFilter(q))
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="audit.csv"; filename*=UTF-8''${encodeURIComponent('审计日志.csv')}`,
      )
      .send(auditCsv(rows))
  })
}
