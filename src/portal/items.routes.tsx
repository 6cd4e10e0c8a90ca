import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { findAgencyById, listAgencies } from '../agencies/agency.store.ts'
import { formatShanghai } from '../clock.ts'
import {
  findAttachment,
  findColumn,
  findItem,
  listAttachments,
  listCatalogue,
  listColumns,
  listPublicItems,
} from '../disclosures/disclosure.store.ts'
import { downloadDisposition, readStoredFile } from '../files/file-store.ts'
import { genres, validityLabels } from '../disclosures/disclosure.ts'
import { sanitizeBody } from '../disclosures/rich-text.ts'
import { AppError } from '../errors.ts'
import { Notice } from '../web/form.tsx'
import { PortalLayout } from '../web/layout.tsx'
import { pageContext } from '../web/request-context.ts'

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
    return reply.page(
      200,
      <PortalLayout ctx={pageContext(request)} title={`${agency.name}政府信息公开`}>
        <h1>{agency.name}政府信息公开</h1>
        <p>
          <a href={`/agencies/${id}/apply`}>在线申请政府信息公开</a> · <a href="/track">申请查询</a>
        </p>
        <nav aria-label="栏目">
          <ul class="column-tree">
            {top.map((c) => (
              <li>
                {c.class === 'report' ? (
                  <a href="/reports">{c.name}</a>
                ) : c.class === 'guide' ? (
                  <a href={`/agencies/${id}/guide`}>{c.name}</a>
                ) : c.class === 'catalogue' ? (
                  <a href={`/agencies/${id}/catalogue`}>{c.name}</a>
                ) : (
                  <a href={`/columns/${c.id}`}>{c.name}</a>
                )}
                {columns.some((x) => x.parent_id === c.id) && (
                  <ul>
                    {columns
                      .filter((x) => x.parent_id === c.id)
                      .map((x) => (
                        <li>
                          <a href={`/columns/${x.id}`}>{x.name}</a>
                        </li>
                      ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </nav>
      </PortalLayout>,
    )
  })

  app.get('/agencies/:id/catalogue', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const agency = await findAgencyById(deps.db, id)
    if (!agency) throw new AppError('not_found', '机关不存在')
    const f = z
      .object({
        column: z.coerce.number().int().positive().optional().catch(undefined),
        genre: z.enum(genres).optional().catch(undefined),
        year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
        page: z.coerce.number().int().min(1).max(1000).optional().catch(undefined),
      })
      .parse(request.query)
    const page = f.page ?? 1
    const columns = await listColumns(deps.db, id)
    const items = await listCatalogue(
      deps.db,
      { agencyId: id, columnId: f.column, genre: f.genre, year: f.year },
      51,
      (page - 1) * 50,
    )
    const names = new Map(columns.map((c) => [c.id, c.name]))
    const link = (p: number) =>
      `/agencies/${id}/catalogue?${new URLSearchParams(
        Object.entries({ column: f.column, genre: f.genre, year: f.year, page: p })
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      ).toString()}`
    return reply.page(
      200,
      <PortalLayout ctx={pageContext(request)} title={`${agency.name}政府信息公开目录`}>
        <p>
          <a href={`/agencies/${id}`}>{agency.name}</a> › 政府信息公开目录
        </p>
        <h1>{agency.name}政府信息公开目录</h1>
        <form method="get" action={`/agencies/${id}/catalogue`} class="filters">
          <div class="field">
            <label for="f-column">栏目</label>
            <select id="f-column" name="column">
              <option value="">全部</option>
              {columns
                .filter((c) => !columns.some((x) => x.parent_id === c.id))
                .map((c) => (
                  <option value={String(c.id)} selected={c.id === f.column}>
                    {c.name}
                  </option>
                ))}
            </select>
          </div>
          <div class="field">
            <label for="f-genre">体裁</label>
            <select id="f-genre" name="genre">
              <option value="">全部</option>
              {genres.map((g) => (
                <option value={g} selected={g === f.genre}>
                  {g}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-year">发布年份</label>
            <input id="f-year" name="year" inputMode="numeric" value={f.year ? String(f.year) : ''} />
          </div>
          <button type="submit">筛选</button>
        </form>
        <table>
          <caption>目录（最新在前）</caption>
          <thead>
            <tr>
              <th scope="col">索引号</th>
              <th scope="col">名称</th>
              <th scope="col">文号</th>
              <th scope="col">栏目</th>
              <th scope="col">发布日期</th>
            </tr>
          </thead>
          <tbody>
            {items.slice(0, 50).map((i) => (
              <tr>
                <td>{i.index_number}</td>
                <td>
                  <a href={`/items/${i.id}`}>{i.title}</a>
                </td>
                <td>{i.doc_number ?? ''}</td>
                <td>{names.get(i.column_id)}</td>
                <td>{i.published_at && formatShanghai(i.published_at).slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <nav aria-label="分页" class="pager">
          {page > 1 && <a href={link(page - 1)}>上一页</a>}
          {items.length > 50 && <a href={link(page + 1)}>下一页</a>}
        </nav>
      </PortalLayout>,
    )
  })

  // The whole region's catalogue: every agency's published items, newest first.
  app.get('/catalogue', async (request, reply) => {
    const f = z
      .object({
        agency: z.coerce.number().int().positive().optional().catch(undefined),
        genre: z.enum(genres).optional().catch(undefined),
        year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
        page: z.coerce.number().int().min(1).max(1000).optional().catch(undefined),
      })
      .parse(request.query)
    const page = f.page ?? 1
    const agencies = await listAgencies(deps.db)
    const names = new Map(agencies.map((a) => [a.id, a.name]))
    const items = await listCatalogue(
      deps.db,
      { agencyId: f.agency, genre: f.genre, year: f.year },
      51,
      (page - 1) * 50,
    )
    const link = (p: number) =>
      `/catalogue?${new URLSearchParams(
        Object.entries({ agency: f.agency, genre: f.genre, year: f.year, page: p })
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      ).toString()}`
    return reply.page(
      200,
      <PortalLayout ctx={pageContext(request)} title="政府信息公开目录">
        <h1>政府信息公开目录</h1>
        <form method="get" action="/catalogue" class="filters">
          <div class="field">
            <label for="f-agency">机关</label>
            <select id="f-agency" name="agency">
              <option value="">全部机关</option>
              {agencies.map((a) => (
                <option value={String(a.id)} selected={a.id === f.agency}>
                  {a.name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-genre">体裁</label>
            <select id="f-genre" name="genre">
              <option value="">全部</option>
              {genres.map((g) => (
                <option value={g} selected={g === f.genre}>
                  {g}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-year">发布年份</label>
            <input id="f-year" name="year" inputMode="numeric" value={f.year ? String(f.year) : ''} />
          </div>
          <button type="submit">筛选</button>
        </form>
        <table>
          <caption>全区域目录（最新在前）</caption>
          <thead>
            <tr>
              <th scope="col">索引号</th>
              <th scope="col">名称</th>
              <th scope="col">发布机构</th>
              <th scope="col">文号</th>
              <th scope="col">发布日期</th>
            </tr>
          </thead>
          <tbody>
            {items.slice(0, 50).map((i) => (
              <tr>
                <td>{i.index_number}</td>
                <td>
                  <a href={`/items/${i.id}`}>{i.title}</a>
                </td>
                <td>{names.get(i.agency_id)}</td>
                <td>{i.doc_number ?? ''}</td>
                <td>{i.published_at && formatShanghai(i.published_at).slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <nav aria-label="分页" class="pager">
          {page > 1 && <a href={link(page - 1)}>上一页</a>}
          {items.length > 50 && <a href={link(page + 1)}>下一页</a>}
        </nav>
      </PortalLayout>,
    )
  })

  app.get('/columns/:id', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const column = await findColumn(deps.db, id)
    if (!column) throw new AppError('not_found', '栏目不存在')
    const agency = await findAgencyById(deps.db, column.agency_id)
    const items = await listPublicItems(deps.db, id)
    return reply.page(
      200,
      <PortalLayout ctx={pageContext(request)} title={column.name}>
        <p>
          <a href={`/agencies/${column.agency_id}`}>{agency?.name}</a> › {column.name}
        </p>
        <h1>{column.name}</h1>
        <p>
          <a href={`/columns/${column.id}/feed.xml`}>订阅本栏目（Atom）</a>
        </p>
        {items.length === 0 ? (
          <p>本栏目暂无信息。</p>
        ) : (
          <ul class="item-list">
            {items.map((i) => (
              <li>
                <a href={`/items/${i.id}`}>{i.title}</a>{' '}
                <span class="hint">{i.published_at && formatShanghai(i.published_at).slice(0, 10)}</span>
              </li>
            ))}
          </ul>
        )}
      </PortalLayout>,
    )
  })

  app.get('/items/:id/attachments/:attachmentId', async (request, reply) => {
    const { id, attachmentId } = z
      .object({ id: z.coerce.number().int().positive(), attachmentId: z.coerce.number().int().positive() })
      .parse(request.params)
    const item = await findItem(deps.db, id)
    const row = item?.status === 'published' ? await findAttachment(deps.db, id, attachmentId) : undefined
    if (!row) throw new AppError('not_found', '附件不存在')
    // Served as a download, never rendered inline from the upload store (FILE-03).
    return reply
      .header('content-type', row.content_type)
      .header('content-disposition', downloadDisposition(row.file_name))
      .header('content-security-policy', "sandbox; default-src 'none'")
      .send(readStoredFile(deps.config.dataDir, row.storage_key))
  })

  app.get('/items/:id', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const item = await findItem(deps.db, id)
    if (!item || (item.status !== 'published' && item.status !== 'withdrawn'))
      throw new AppError('not_found', '信息不存在')
    const agency = await findAgencyById(deps.db, item.agency_id)
    const column = await findColumn(deps.db, item.column_id)
    const attachments = item.status === 'published' ? await listAttachments(deps.db, item.id) : []
    const rows: [string, string | null][] = [
      ['索引号', item.index_number],
      ['名称', item.title],
      ['发布机构', agency?.name ?? null],
      ['文号', item.doc_number],
      ['成文日期', item.written_on],
      ['发布日期', item.published_at ? formatShanghai(item.published_at).slice(0, 10) : null],
      ['主题分类', item.topic],
      ['体裁', item.genre],
      ['主题词', item.keywords],
      ['有效性', validityLabels[item.validity as keyof typeof validityLabels] ?? item.validity],
      ['实施日期', item.effective_on],
      ['废止日期', item.repealed_on],
      ['失效日期', item.lapsed_on],
    ]
    return reply.page(
      200,
      <PortalLayout ctx={pageContext(request)} title={item.title}>
        <p>
          <a href={`/agencies/${item.agency_id}`}>{agency?.name}</a> ›{' '}
          <a href={`/columns/${item.column_id}`}>{column?.name}</a>
        </p>
        <table class="metadata">
          <caption>信息目录</caption>
          <tbody>
            {rows
              .filter(([, v]) => v)
              .map(([k, v]) => (
                <tr>
                  <th scope="row">{k}</th>
                  <td>{v}</td>
                </tr>
              ))}
          </tbody>
        </table>
        <h1>{item.title}</h1>
        {item.validity !== 'valid' && (
          <Notice kind="warn">
            本文件已{validityLabels[item.validity as keyof typeof validityLabels]}（{item.repealed_on ?? item.lapsed_on}
            ）。
          </Notice>
        )}
        {item.status === 'withdrawn' ? (
          <Notice kind="warn">本信息已撤回。撤回说明：{item.withdrawn_reason}</Notice>
        ) : (
          <>
            <div class="item-body" dangerouslySetInnerHTML={{ __html: sanitizeBody(item.body) }} />
            {attachments.length > 0 && (
              <section aria-labelledby="att-h">
                <h2 id="att-h">附件</h2>
                <ul>
                  {attachments.map((a) => (
                    <li>
                      <a href={`/items/${item.id}/attachments/${a.id}`}>{a.file_name}</a>
                    </li>
                  ))}
                </ul>
              </section>
            )}
          </>
        )}
      </PortalLayout>,
    )
  })
}
