import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import { Csrf, ErrorSummary, Field, Select } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import { ConsoleLayout } from '../web/layout.tsx'
import type { ColumnClass } from './column-tree.ts'
import { listColumns } from './disclosure.store.ts'
import { pageContext, staffActor, requireStaff } from '../web/request-context.ts'

// The office head edits the agency's column tree: adds columns (with the class that sets their
// update rule) and renames them. Statutory columns keep their article-20 item.

const classLabels: Partial<Record<ColumnClass, string>> = {
  news: '动态类（2 周内更新）',
  notice: '通知公告类（6 个月内更新）',
  policy: '政策文件类（6 个月内更新）',
  other: '其他',
}
const columnForm = z.object({
  name: z.string({ error: '请填写栏目名称' }).trim().min(2, '栏目名称至少 2 个字').max(30, '栏目名称不得超过 30 个字'),
  class: z.enum(['news', 'notice', 'policy', 'other'], { error: '请选择栏目类别' }),
  parentId: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().positive().optional()),
})
const renameForm = z.object({ name: columnForm.shape.name })

export function columnRoutes(app: FastifyInstance): void {
  const deps = app.deps

  const page = async (request: FastifyRequest, reply: FastifyReply, status: number, form: FormState) => {
    const columns = await listColumns(deps.db, requireStaff(request).agencyId)
    return reply.page(
      status,
      <ConsoleLayout ctx={pageContext(request)} title="栏目设置">
        <h1>栏目设置</h1>
        <ErrorSummary form={form} />
        <table>
          <caption>本机关栏目</caption>
          <thead>
            <tr>
              <th scope="col">栏目</th>
              <th scope="col">上级</th>
              <th scope="col">改名</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((c) => (
              <tr>
                <td>{c.name}</td>
                <td>{columns.find((p) => p.id === c.parent_id)?.name ?? '—'}</td>
                <td>
                  <form method="post" action={`/console/columns/${c.id}`} class="inline">
                    <Csrf token={pageContext(request).csrf} />
                    <label for={`rename-${c.id}`} class="visually-hidden">
                      {c.name}的新名称
                    </label>
                    <input id={`rename-${c.id}`} name="name" value={c.name} />
                    <button type="submit" class="secondary">
                      改名
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2 id="add-h">添加栏目</h2>
        <form method="post" action="/console/columns" aria-labelledby="add-h" novalidate>
          <Csrf token={pageContext(request).csrf} />
          <Field form={form} name="name" label="栏目名称" required />
          <Select
            form={form}
            name="class"
            label="类别"
            options={Object.entries(classLabels).map(([value, label]) => ({ value, label: label! }))}
            required
          />
          <Select
            form={form}
            name="parentId"
            label="上级栏目"
            placeholder="无（一级栏目）"
            options={columns.filter((c) => c.parent_id === null).map((c) => ({ value: String(c.id), label: c.name }))}
          />
          <button type="submit">添加</button>
        </form>
      </ConsoleLayout>,
    )
  }

  app.get('/console/columns', async (request, reply) => page(request, reply, 200, { values: {}, errors: {} }))

  app.post('/console/columns', async (request, reply) => {
    const parsed = parseForm(columnForm, request.body)
    if (!parsed.ok) return page(request, reply, 422, parsed.form)
    const actor = staffActor(request)
    const columns = await listColumns(deps.db, actor.agencyId)
    if (parsed.data.parentId && !columns.some((c) => c.id === parsed.data.parentId))
      return page(request, reply, 422, { values: parsed.data, errors: { parentId: '请选择本机关的栏目' } })
    if (columns.some((c) => c.name === parsed.data.name && c.parent_id === (parsed.data.parentId ?? null)))
      return page(request, reply, 422, { values: parsed.data, errors: { name: '同级已有同名栏目' } })
    await deps.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('columns')
        .values({
          agency_id: actor.agencyId,
          parent_id: parsed.data.parentId ?? null,
          name: parsed.data.name,
          class: parsed.data.class,
          article20_item: null,
          sort: (columns.length + 1) * 10,
          created_at: isoNow(deps.clock),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await appendAudit(deps, trx, actor, {
        action: 'column.create',
        objectType: 'column',
        objectId: row.id,
        result: 'success',
        detail: parsed.data,
      })
    })
    return reply.redirect('/console/columns', 303)
  })

  app.post('/console/columns/:id', async (request, reply) => {
    const { id } = z.object({ id: z.coerce.number().int().positive() }).parse(request.params)
    const parsed = parseForm(renameForm, request.body)
    if (!parsed.ok) return page(request, reply, 422, parsed.form)
    const actor = staffActor(request)
    const column = (await listColumns(deps.db, actor.agencyId)).find((c) => c.id === id)
    if (!column) return page(request, reply, 422, { values: {}, errors: { name: '栏目不存在' } })
    await deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('columns').set({ name: parsed.data.name }).where('id', '=', id).execute()
      await appendAudit(deps, trx, actor, {
        action: 'column.rename',
        objectType: 'column',
        objectId: id,
        result: 'success',
        detail: { from: column.name, to: parsed.data.name },
      })
    })
    return reply.redirect('/console/columns', 303)
  })
}
