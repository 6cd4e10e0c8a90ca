import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { findAgencyById } from '../agencies/agency.store.ts'
import { formatShanghai } from '../clock.ts'
import { findAttachment, findColumn, findItem, listAttachments, listColumns, listPublicItems } from '../disclosures/disclosure.store.ts'
import { downloadDisposition, readStoredFile } from '../files/file-store.ts'
import { validityLabels } from '../disclosures/disclosure.ts'
import { AppError } from '../errors.ts'
import { Notice } from '../web/form.tsx'
import { PortalLayout } from '../web/layout.tsx'

// The public side of proactive disclosure: an agency's columns, a column's items, an item's page
// with its catalogue metadata. Only published items are shown; a withdrawn one shows its notice.

const idParam = z.object({ id: z.coerce.number().int().positive() })

export function portalItemRoutes(app: FastifyInstance): void {
  const deps = app.deps

  app.get('/agencies/:id', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const agency = await findAgencyById(deps.db, id)
    if (!agency) throw new AppError('not_found', '机关不存在')
    const columns = await listColumns(deps.db, id)
    const top = columns.filter((c) => c.parent_id === null)
    return reply.page(200, (
      <PortalLayout ctx={app.ctx(request)} title={`${agency.name}政府信息公开`}>
        <h1>{agency.name}政府信息公开</h1>
        <nav aria-label="栏目">
          <ul class="column-tree">
            {top.map((c) => (
              <li>
                {c.class === 'report' ? <a href="/reports">{c.name}</a> : <a href={`/columns/${c.id}`}>{c.name}</a>}
                {columns.some((x) => x.parent_id === c.id) && <ul>{columns.filter((x) => x.parent_id === c.id).map((x) => <li><a href={`/columns/${x.id}`}>{x.name}</a></li>)}</ul>}
              </li>
            ))}
          </ul>
        </nav>
      </PortalLayout>
    ))
  })

  app.get('/columns/:id', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const column = await findColumn(deps.db, id)
    if (!column) throw new AppError('not_found', '栏目不存在')
    const agency = await findAgencyById(deps.db, column.agency_id)
    const items = await listPublicItems(deps.db, id)
    return reply.page(200, (
      <PortalLayout ctx={app.ctx(request)} title={column.name}>
        <p><a href={`/agencies/${column.agency_id}`}>{agency?.name}</a> › {column.name}</p>
        <h1>{column.name}</h1>
        <p><a href={`/columns/${column.id}/feed.xml`}>订阅本栏目（Atom）</a></p>
        {items.length === 0 ? <p>本栏目暂无信息。</p> : (
          <ul class="item-list">{items.map((i) => <li><a href={`/items/${i.id}`}>{i.title}</a> <span class="hint">{i.published_at && formatShanghai(i.published_at).slice(0, 10)}</span></li>)}</ul>
        )}
      </PortalLayout>
    ))
  })

  app.get('/items/:id/attachments/:attachmentId', async (request, reply) => {
    const { id, attachmentId } = z.object({ id: z.coerce.number().int().positive(), attachmentId: z.coerce.number().int().positive() }).parse(request.params)
    const item = await findItem(deps.db, id)
    const row = item?.status === 'published' ? await findAttachment(deps.db, id, attachmentId) : undefined
    if (!row) throw new AppError('not_found', '附件不存在')
    // Served as a download, never rendered inline from the upload store (FILE-03).
    return reply.header('content-type', row.content_type).header('content-disposition', downloadDisposition(row.file_name))
      .header('content-security-policy', "sandbox; default-src 'none'").send(readStoredFile(deps.config.dataDir, row.storage_key))
  })

  app.get('/items/:id', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const item = await findItem(deps.db, id)
    if (!item || (item.status !== 'published' && item.status !== 'withdrawn')) throw new AppError('not_found', '信息不存在')
    const agency = await findAgencyById(deps.db, item.agency_id)
    const column = await findColumn(deps.db, item.column_id)
    const attachments = item.status === 'published' ? await listAttachments(deps.db, item.id) : []
    const rows: [string, string | null][] = [
      ['索引号', item.index_number], ['名称', item.title], ['发布机构', agency?.name ?? null], ['文号', item.doc_number], ['成文日期', item.written_on],
      ['发布日期', item.published_at ? formatShanghai(item.published_at).slice(0, 10) : null], ['主题分类', item.topic], ['体裁', item.genre], ['主题词', item.keywords],
      ['有效性', validityLabels[item.validity as keyof typeof validityLabels] ?? item.validity],
    ]
    return reply.page(200, (
      <PortalLayout ctx={app.ctx(request)} title={item.title}>
        <p><a href={`/agencies/${item.agency_id}`}>{agency?.name}</a> › <a href={`/columns/${item.column_id}`}>{column?.name}</a></p>
        <table class="metadata">
          <caption>信息目录</caption>
          <tbody>{rows.filter(([, v]) => v).map(([k, v]) => <tr><th scope="row">{k}</th><td>{v}</td></tr>)}</tbody>
        </table>
        <h1>{item.title}</h1>
        {item.status === 'withdrawn' ? <Notice kind="warn">本信息已撤回。撤回说明：{item.withdrawn_reason}</Notice> : (
          <>
            {item.body.split('\n').filter(Boolean).map((p) => <p>{p}</p>)}
            {attachments.length > 0 && <section aria-labelledby="att-h"><h2 id="att-h">附件</h2><ul>{attachments.map((a) => <li><a href={`/items/${item.id}/attachments/${a.id}`}>{a.file_name}</a></li>)}</ul></section>}
          </>
        )}
      </PortalLayout>
    ))
  })
}
