import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { FormState } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import { addColumn, columnsOf, renameColumn } from './columns.service.ts'
import { ColumnsPage } from './columns.views.tsx'
import { attempt, pageContext, staffActor, requireStaff } from '../web/request-context.ts'

// The office head edits the agency's column tree: adds columns (with the class that sets their
// update rule) and renames them. Statutory columns keep their article-20 item.

const columnForm = z.object({
  name: z.string({ error: '请填写栏目名称' }).trim().min(2, '栏目名称至少 2 个字').max(30, '栏目名称不得超过 30 个字'),
  class: z.enum(['news', 'notice', 'policy', 'other'], { error: '请选择栏目类别' }),
  parentId: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().positive().optional()),
})
const renameForm = z.object({ name: columnForm.shape.name })
const idParam = z.object({ id: z.coerce.number().int().positive() })

export function columnRoutes(app: FastifyInstance): void {
  const deps = app.deps

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    form: FormState,
    renaming?: { id: number; form: FormState },
  ) => {
    const columns = await columnsOf(deps, requireStaff(request).agencyId)
    const view = <ColumnsPage ctx={pageContext(request)} columns={columns} form={form} renaming={renaming} />
    return reply.page(status, view)
  }

  app.get('/console/columns', async (request, reply) => page(request, reply, 200, { values: {}, errors: {} }))

  app.post('/console/columns', async (request, reply) => {
    const parsed = parseForm(columnForm, request.body)
    if (!parsed.ok) return page(request, reply, 422, parsed.form)
    const r = await attempt(() => addColumn(deps, staffActor(request), parsed.data))
    if (!r.ok) return page(request, reply, 422, { values: parsed.data, errors: r.error.fields })
    return reply.redirect('/console/columns', 303)
  })

  app.post('/console/columns/:id', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    // A refused name is shown in the column's own row, beside its box, as typed (issue #12).
    const parsed = parseForm(renameForm, request.body)
    const blank = { values: {}, errors: {} }
    if (!parsed.ok) return page(request, reply, 422, blank, { id, form: parsed.form })
    const r = await attempt(() => renameColumn(deps, staffActor(request), id, parsed.data.name))
    if (!r.ok) {
      const errors = Object.keys(r.error.fields).length ? r.error.fields : { name: r.error.message }
      return page(request, reply, 422, blank, { id, form: { values: parsed.data, errors } })
    }
    return reply.redirect('/console/columns', 303)
  })
}
