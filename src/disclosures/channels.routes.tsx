import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { listUnits } from '../agencies/agency.store.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { formatShanghai, isoNow } from '../clock.ts'
import { AppError } from '../errors.ts'
import { readSetting, writeSetting } from '../settings/settings.store.ts'
import { Csrf, ErrorSummary, Field, Notice, Select } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import { largeImport, startJob } from '../jobs/jobs.ts'
import { ConsoleLayout } from '../web/layout.tsx'
import { countPublications } from './counts.ts'
import { importItems, readImportFile } from './item-import.ts'
import type { ImportResult } from './item-import.ts'
import { listChannels } from './disclosure.store.ts'
import { pageContext, staffActor, requireStaff } from '../web/request-context.ts'

// Channels (门户网站, WeChat accounts by name, 信用网站, 政务服务平台, 政府公报 …), the period counts
// a 总体情况 states, and the units' information quotas (信息报送, e.g. one item a month).

const channelKinds = {
  wechat: '微信公众号',
  credit: '信用网站',
  services: '政务服务平台',
  gazette: '政府公报',
  other: '其他',
} as const
const channelForm = z.object({
  name: z.string({ error: '请填写渠道名称' }).trim().min(2, '渠道名称至少 2 个字').max(40, '渠道名称不得超过 40 个字'),
  kind: z.enum(Object.keys(channelKinds) as [keyof typeof channelKinds], { error: '请选择渠道类型' }),
})
const quotaForm = z.object({
  perMonth: z.coerce.number({ error: '请填写每月最少条数' }).int().min(0, '不能为负数').max(100, '不得超过 100'),
})

export function channelRoutes(app: FastifyInstance): void {
  const deps = app.deps

  const channelsPage = async (request: FastifyRequest, reply: FastifyReply, status: number, form: FormState) =>
    reply.page(
      status,
      <ConsoleLayout ctx={pageContext(request)} title="发布渠道">
        <h1>发布渠道</h1>
        <ul>
          {(await listChannels(deps.db, requireStaff(request).agencyId)).map((c) => (
            <li>
              {c.name}（
              {c.kind === 'portal' ? '门户网站' : (channelKinds[c.kind as keyof typeof channelKinds] ?? c.kind)}）
            </li>
          ))}
        </ul>
        <h2 id="add-h">添加渠道</h2>
        <ErrorSummary form={form} />
        <form method="post" action="/console/channels" aria-labelledby="add-h" novalidate>
          <Csrf token={pageContext(request).csrf} />
          <Field form={form} name="name" label="名称" hint="例如：“法治垫江”微信公众号" required />
          <Select
            form={form}
            name="kind"
            label="类型"
            options={Object.entries(channelKinds).map(([value, label]) => ({ value, label }))}
            required
          />
          <button type="submit">添加</button>
        </form>
      </ConsoleLayout>,
    )

  app.get('/console/channels', async (request, reply) => channelsPage(request, reply, 200, { values: {}, errors: {} }))

  app.post('/console/channels', async (request, reply) => {
    const parsed = parseForm(channelForm, request.body)
    if (!parsed.ok) return channelsPage(request, reply, 422, parsed.form)
    const actor = staffActor(request)
    if ((await listChannels(deps.db, actor.agencyId)).some((c) => c.name === parsed.data.name)) {
      return channelsPage(request, reply, 422, { values: parsed.data, errors: { name: '已有同名渠道' } })
    }
    await deps.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('channels')
        .values({
          agency_id: actor.agencyId,
          name: parsed.data.name,
          kind: parsed.data.kind,
          created_at: isoNow(deps.clock),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await appendAudit(deps, trx, actor, {
        action: 'channel.create',
        objectType: 'channel',
        objectId: row.id,
        result: 'success',
        detail: parsed.data,
      })
    })
    return reply.redirect('/console/channels', 303)
  })

  const importPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    error?: string,
    result?: ImportResult,
  ) =>
    reply.page(
      status,
      <ConsoleLayout ctx={pageContext(request)} title="导入已公开信息">
        <h1>从旧网站导入已公开的信息</h1>
        <p class="hint">
          CSV（首行为列名：column、title、publishedAt、body，可选
          docNumber、writtenOn、formedOn、topic、genre、keywords、summary）或 JSON 数组（可含 base64
          附件）。保留原发布日期，标记为“导入”，不经审核；保密审查的发现会列出，但不阻止导入。任一行有误则全部不导入。
        </p>
        {error && (
          <div class="error-summary" role="alert">
            <h2>导入未执行</h2>
            <pre class="problems">{error}</pre>
          </div>
        )}
        {result && (
          <Notice>
            已导入 {result.imported} 条。
            {result.findings.length > 0 &&
              `其中 ${result.findings.length} 条有保密审查发现，请尽快处理：${result.findings.map((f) => `第 ${f.line} 行“${f.title}”`).join('、')}`}
          </Notice>
        )}
        <form method="post" action="/console/items/import" enctype="multipart/form-data">
          <Csrf token={pageContext(request).csrf} />
          <div class="field">
            <label for="f-file">文件（CSV 或 JSON，10 MB 以内）</label>
            <input id="f-file" name="file" type="file" accept=".csv,.json" />
          </div>
          <button type="submit">导入</button>
        </form>
      </ConsoleLayout>,
    )

  app.get('/console/items/import', async (request, reply) => importPage(request, reply, 200))

  app.post('/console/items/import', async (request, reply) => {
    const file = (
      request.body as
        { file?: { filename: string; toBuffer(): Promise<Buffer>; file: { truncated: boolean } } } | undefined
    )?.file
    if (!file || typeof file.toBuffer !== 'function') return importPage(request, reply, 422, '请选择要导入的文件')
    const bytes = await file.toBuffer()
    if (file.file.truncated) return importPage(request, reply, 422, '文件超过 10 MB')
    try {
      const rows = readImportFile(bytes.toString('utf8'), file.filename)
      // A large file runs as a job: the page shows its progress and can be left and come back to.
      if (rows.length > largeImport) {
        const actor = { ...request.actor, id: requireStaff(request).id, agencyId: requireStaff(request).agencyId }
        const id = await startJob(
          deps,
          actor,
          'items.import',
          `导入旧信息（${file.filename}，${rows.length} 行）`,
          rows.length,
          async (progress) => {
            const r = await importItems(deps, request.actor, actor.agencyId, rows, progress)
            return `已导入 ${r.imported} 条。${r.findings.length > 0 ? `其中 ${r.findings.length} 条有保密审查发现，请尽快处理：${r.findings.map((f) => `第 ${f.line} 行“${f.title}”`).join('、')}` : ''}`
          },
        )
        return reply.redirect(`/console/jobs/${id}`, 303)
      }
      const result = await importItems(deps, request.actor, requireStaff(request).agencyId, rows)
      return importPage(request, reply, 200, undefined, result)
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_input') return importPage(request, reply, 422, e.message)
      throw e
    }
  })

  app.get('/console/counts', async (request, reply) => {
    const today = formatShanghai(deps.clock.now().toISOString()).slice(0, 10)
    const q = z
      .object({
        from: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .catch(`${today.slice(0, 4)}-01-01`),
        to: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .catch(today),
      })
      .parse({ from: (request.query as Record<string, string>).from, to: (request.query as Record<string, string>).to })
    if (q.from > q.to) throw new AppError('invalid_input', '起始日期不能晚于截止日期')
    const c = await countPublications(deps.db, requireStaff(request).agencyId, q.from, q.to)
    const table = (caption: string, head: string, rows: { name: string; n: number }[]) => (
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            <th scope="col">条数</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>{r.name}</td>
              <td>{r.n}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )
    return reply.page(
      200,
      <ConsoleLayout ctx={pageContext(request)} title="发布统计">
        <h1>主动公开发布统计</h1>
        <form method="get" action="/console/counts" class="filters">
          <div class="field">
            <label for="f-from">起始日期</label>
            <input id="f-from" name="from" type="date" value={q.from} />
          </div>
          <div class="field">
            <label for="f-to">截止日期</label>
            <input id="f-to" name="to" type="date" value={q.to} />
          </div>
          <button type="submit">统计</button>
        </form>
        <p>
          {q.from} 至 {q.to}，主动公开信息共 <strong>{c.total}</strong> 条（每条按主要发布渠道计一次）。
        </p>
        {table(
          '按主要发布渠道',
          '渠道',
          c.byPrimaryChannel.map((x) => ({ name: x.name, n: x.items })),
        )}
        {table(
          '各渠道发布次数（一条信息可在多个渠道发布）',
          '渠道',
          c.publicationsByChannel.map((x) => ({ name: x.name, n: x.publications })),
        )}
        {table(
          '按栏目',
          '栏目',
          c.byColumn.map((x) => ({ name: x.name, n: x.items })),
        )}
        {table(
          '按报送单位',
          '单位',
          c.byUnit.map((x) => ({ name: x.name, n: x.items })),
        )}
        {table(
          '按月',
          '月份',
          c.byMonth.map((x) => ({ name: x.month, n: x.items })),
        )}
      </ConsoleLayout>,
    )
  })

  const quotaPage = async (request: FastifyRequest, reply: FastifyReply, status: number, form?: FormState) => {
    const agencyId = requireStaff(request).agencyId
    const perMonth = Number(JSON.parse((await readSetting(deps.db, `quota:${agencyId}`)) ?? '{"perMonth":1}').perMonth)
    const year = z.coerce
      .number()
      .int()
      .min(2000)
      .max(2100)
      .catch(Number(formatShanghai(deps.clock.now().toISOString()).slice(0, 4)))
      .parse((request.query as Record<string, string>).year)
    const units = await listUnits(deps.db, agencyId)
    const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`)
    const counted = new Map<string, number>()
    for (const m of months) {
      const last = new Date(Date.UTC(year, Number(m.slice(5)), 0)).getUTCDate()
      const c = await countPublications(deps.db, agencyId, `${m}-01`, `${m}-${last}`)
      for (const u of c.byUnit) counted.set(`${u.name}|${m}`, u.items)
    }
    const canSet = requireStaff(request).roles.includes('office_head')
    return reply.page(
      status,
      <ConsoleLayout ctx={pageContext(request)} title="信息报送">
        <h1>{year}年信息报送情况</h1>
        <p>
          要求：各单位每月至少报送 <strong>{perMonth}</strong> 条信息（按发布月份计）。
        </p>
        {units.length === 0 ? (
          <Notice kind="warn">本机关尚未登记内设科室或下属单位。</Notice>
        ) : (
          <table>
            <caption>各单位每月发布条数（✓ 达标，✗ 未达标）</caption>
            <thead>
              <tr>
                <th scope="col">单位</th>
                {months.map((m) => (
                  <th scope="col">{Number(m.slice(5))}月</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {units.map((u) => (
                <tr>
                  <th scope="row">{u.name}</th>
                  {months.map((m) => {
                    const n = counted.get(`${u.name}|${m}`) ?? 0
                    return (
                      <td>
                        {n} {n >= perMonth ? '✓' : '✗'}
                      </td>
                    )
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {canSet && (
          <form method="post" action="/console/quotas" novalidate>
            <Csrf token={pageContext(request).csrf} />
            <ErrorSummary form={form ?? { values: {}, errors: {} }} />
            <Field
              form={form ?? { values: { perMonth: String(perMonth) }, errors: {} }}
              name="perMonth"
              label="每月最少条数"
              inputmode="numeric"
              required
            />
            <button type="submit">保存要求</button>
          </form>
        )}
      </ConsoleLayout>,
    )
  }

  app.get('/console/quotas', async (request, reply) => quotaPage(request, reply, 200))

  app.post('/console/quotas', async (request, reply) => {
    const parsed = parseForm(quotaForm, request.body)
    if (!parsed.ok) return quotaPage(request, reply, 422, parsed.form)
    const actor = staffActor(request)
    await deps.db.transaction().execute(async (trx) => {
      await writeSetting(trx, `quota:${actor.agencyId}`, JSON.stringify(parsed.data), actor.id, isoNow(deps.clock))
      await appendAudit(deps, trx, actor, {
        action: 'quota.update',
        objectType: 'agency',
        objectId: actor.agencyId,
        result: 'success',
        detail: parsed.data,
      })
    })
    return reply.redirect('/console/quotas', 303)
  })
}
