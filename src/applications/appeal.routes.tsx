import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { AppError } from '../errors.ts'
import { Csrf, ErrorSummary, Field, Select, emptyForm } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import { ConsoleLayout } from '../web/layout.tsx'
import { appealKinds, concludeAppeal, listAppeals, mappingOf, rawResults, recordAppeal } from './appeal.service.ts'
import { pageContext, staffActor, requireStaff, statusOf } from '../web/request-context.ts'

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
const columnLabel = { upheld: '结果维持', corrected: '结果纠正', other: '其他结果' }

export function appealRoutes(app: FastifyInstance): void {
  const deps = app.deps

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    form: FormState,
    message?: string,
  ) => {
    const ctx = pageContext(request)
    const cases = await listAppeals(deps.db, requireStaff(request).agencyId)
    const mapping = await mappingOf(deps.db)
    return reply.page(
      status,
      <ConsoleLayout ctx={ctx} title="复议与诉讼">
        <h1>政府信息公开行政复议、行政诉讼</h1>
        <ErrorSummary form={form} message={message} />
        <table>
          <caption>本机关的案件（年度报告第四部分按 12 月 31 日的状态统计）</caption>
          <thead>
            <tr>
              <th scope="col">类型</th>
              <th scope="col">立案日期</th>
              <th scope="col">审结</th>
              <th scope="col">报告列</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => (
              <tr>
                <td>{appealKinds[c.kind as keyof typeof appealKinds]}</td>
                <td>{c.filed_on}</td>
                <td>{c.raw_result ? `${c.raw_result}（${c.concluded_on}）` : '尚未审结'}</td>
                <td>{c.raw_result ? columnLabel[mapping[c.raw_result] ?? 'other'] : '尚未审结'}</td>
                <td>
                  {!c.raw_result && (
                    <form method="post" action={`/console/appeals/${c.id}/conclude`} class="inline">
                      <Csrf token={ctx.csrf} />
                      <label for={`r-${c.id}`}>审结结果</label>
                      <select id={`r-${c.id}`} name="rawResult">
                        {rawResults.map((r) => (
                          <option value={r}>{r}</option>
                        ))}
                      </select>
                      <label for={`d-${c.id}`}>审结日期</label>
                      <input id={`d-${c.id}`} name="concludedOn" type="date" required />
                      <button type="submit">记录审结</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>登记新案件</h2>
        <form method="post" action="/console/appeals" novalidate>
          <Csrf token={ctx.csrf} />
          <Select
            form={form}
            name="kind"
            label="类型"
            options={Object.entries(appealKinds).map(([value, label]) => ({ value, label }))}
            required
          />
          <Field form={form} name="filedOn" label="立案（受理）日期" type="date" required />
          <Field form={form} name="applicationNumber" label="涉及的申请编号" />
          <Field form={form} name="note" label="备注" />
          <button type="submit">登记</button>
        </form>
      </ConsoleLayout>,
    )
  }

  app.get('/console/appeals', async (request, reply) => page(request, reply, 200, emptyForm))

  app.post('/console/appeals', async (request, reply) => {
    const parsed = parseForm(recordForm, request.body)
    if (!parsed.ok) return page(request, reply, 422, parsed.form)
    try {
      await recordAppeal(deps, staffActor(request), parsed.data)
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_input')
        return page(
          request,
          reply,
          422,
          { values: request.body as Record<string, unknown>, errors: e.fields },
          e.message,
        )
      throw e
    }
    return reply.redirect('/console/appeals', 303)
  })

  app.post('/console/appeals/:id/conclude', async (request, reply) => {
    const { id } = z.object({ id: z.coerce.number().int().positive() }).parse(request.params)
    const parsed = parseForm(concludeForm, request.body)
    if (!parsed.ok) return page(request, reply, 422, parsed.form)
    try {
      await concludeAppeal(deps, staffActor(request), id, parsed.data)
    } catch (e) {
      if (e instanceof AppError && e.code !== 'not_found')
        return page(request, reply, statusOf[e.code], emptyForm, e.message)
      throw e
    }
    return reply.redirect('/console/appeals', 303)
  })
}
