import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { emptyForm } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import { pageParam } from '../web/pager.tsx'
import { attempt, pageContext, shownOnPage, staffActor, statusOf } from '../web/request-context.ts'
import { agencyAppeals, concludeAppeal, recordAppeal } from './appeal.service.ts'
import { AppealsPage } from './appeal.views.tsx'

// Reconsideration and litigation cases of the agency: record when filed, conclude with the raw
// result; the report's section 四 counts them through the result mapping.

const recordForm = z.object({
  kind: z.enum(['reconsideration', 'litigationDirect', 'litigationAfterReconsideration'], { error: '请选择类型' }),
  filedOn: z.string({ error: '请填写日期' }).regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD'),
  applicationNumber: z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((v) => v || undefined),
  note: z.string().trim().max(500).optional(),
})
const concludeForm = z.object({
  rawResult: z.string({ error: '请选择审结结果' }).min(1, '请选择审结结果'),
  concludedOn: z.string({ error: '请填写日期' }).regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD'),
})
const idParam = z.object({ id: z.coerce.number().int().positive() })
/** The list's kind, state, year filed and page; an unknown kind or state is no filter. */
const listQuery = z.object({
  kind: z.enum(['reconsideration', 'litigationDirect', 'litigationAfterReconsideration']).optional().catch(undefined),
  state: z.enum(['open', 'concluded']).optional().catch(undefined),
  year: z.string().trim().optional().catch(undefined),
  page: pageParam,
})

export function appealRoutes(app: FastifyInstance): void {
  const deps = app.deps

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    form: FormState,
    message?: string,
    concluding?: { id: number; form: FormState },
  ) => {
    const { page: listPage, year: typedYear, ...rest } = listQuery.parse(request.query ?? {})
    const year = typedYear ? Number(typedYear) : undefined
    const badYear = year !== undefined && !(Number.isInteger(year) && year >= 2000 && year <= 2100)
    const filter = { ...rest, year: badYear ? undefined : year }
    const view = await agencyAppeals(deps, staffActor(request), filter, listPage)
    const filterProblem = badYear
      ? `立案年份“${typedYear!.slice(0, 10)}”无效，请填写 2000 至 2100 之间的四位年份。`
      : undefined
    return reply.page(
      filterProblem && status === 200 ? 422 : status,
      AppealsPage({
        ...view,
        ctx: pageContext(request),
        form,
        message,
        concluding,
        filter: { ...rest, year: typedYear },
        filterProblem,
      }),
    )
  }

  app.get('/console/appeals', async (request, reply) => page(request, reply, 200, emptyForm))

  app.post('/console/appeals', async (request, reply) => {
    const parsed = parseForm(recordForm, request.body)
    if (!parsed.ok) return page(request, reply, 422, parsed.form)
    const r = await attempt(() => recordAppeal(deps, staffActor(request), parsed.data))
    if (!r.ok) {
      const form = { values: request.body as Record<string, unknown>, errors: r.error.fields }
      return page(request, reply, 422, form, r.error.message)
    }
    return reply.redirect('/console/appeals', 303)
  })

  app.post('/console/appeals/:id/conclude', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    // A refusal is shown in the case's own row, beside the field, with what was typed kept (issue #12).
    const parsed = parseForm(concludeForm, request.body)
    if (!parsed.ok) return page(request, reply, 422, emptyForm, undefined, { id, form: parsed.form })
    const concluded = await attempt(() => concludeAppeal(deps, staffActor(request), id, parsed.data), shownOnPage)
    if (!concluded.ok) {
      const fields = Object.keys(concluded.error.fields).length
        ? concluded.error.fields
        : { concludedOn: concluded.error.message }
      const form = { values: request.body as Record<string, unknown>, errors: fields }
      return page(request, reply, statusOf[concluded.error.code], emptyForm, concluded.error.message, { id, form })
    }
    return reply.redirect('/console/appeals', 303)
  })
}
