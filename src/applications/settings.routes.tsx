import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import { Csrf, ErrorSummary, Field, Notice, stringValue } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import { ConsoleLayout } from '../web/layout.tsx'
import { deleteSetting, readSetting, writeSetting } from '../settings/settings.store.ts'
import { letterKinds } from './letter.ts'
import { pageContext, requireStaff } from '../web/request-context.ts'

// The office head's settings for disclosure on request: where reconsideration is applied for (it
// appears in every letter's appeal rights), when an applicant counts as frequent (art. 35 flag),
// and the agency's own letter templates. The 系统管理员 sets the one region-wide reading of the
// law that practice leaves open: whether a fee notice stops the clock (109号, spec §3 [U]).

const placeholders =
  '{申请人} {申请编号} {收到日期} {申请内容} {答复期限} {机关名称} {补正事项} {补正期限} {延长天数} {延期理由} {收费金额} {缴费期限} {延迟期限} {依据} {复议机关} {救济途径}'
const kinds = Object.keys(letterKinds).filter((k) => k !== 'receipt') as (keyof typeof letterKinds)[]

const settingsForm = z.object({
  reconsiderationBody: z.string({ error: '请填写行政复议机关' }).trim().min(2, '请填写行政复议机关').max(100),
  frequentThreshold: z.coerce
    .number({ error: '请填写件数' })
    .int('请填写整数')
    .min(2, '至少 2 件')
    .max(1000, '不超过 1000 件'),
  ...Object.fromEntries(kinds.map((k) => [`template_${k}`, z.string().max(20_000, '模板过长').default('')])),
})

export function requestSettingsRoutes(app: FastifyInstance): void {
  const deps = app.deps
  const keyOf = (agencyId: number, name: string) =>
    name === 'frequentThreshold' ? `requests.${agencyId}.frequentThreshold` : `letters.${agencyId}.${name}`

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    form?: FormState,
    saved = false,
  ) => {
    const agencyId = requireStaff(request).agencyId
    const region = await deps.db.selectFrom('regions').select('name').executeTakeFirst()
    const current: Record<string, string> = {
      reconsiderationBody:
        (await readSetting(deps.db, keyOf(agencyId, 'reconsiderationBody'))) ?? `${region?.name ?? ''}人民政府`,
      frequentThreshold: (await readSetting(deps.db, keyOf(agencyId, 'frequentThreshold'))) ?? '10',
    }
    for (const k of kinds) current[`template_${k}`] = (await readSetting(deps.db, keyOf(agencyId, k))) ?? ''
    const f = form ?? { values: current, errors: {} }
    const ctx = pageContext(request)
    return reply.page(
      status,
      <ConsoleLayout ctx={ctx} title="依申请公开设置">
        <h1>依申请公开设置</h1>
        {saved && <Notice>已保存。</Notice>}
        <ErrorSummary form={f} />
        <form method="post" action="/console/request-settings" novalidate>
          <Csrf token={ctx.csrf} />
          <Field form={f} name="reconsiderationBody" label="行政复议机关（写入答复书的救济途径）" required />
          <Field
            form={f}
            name="frequentThreshold"
            label="同一申请人 30 日内申请达到多少件时提示“申请较多”（条例第三十五条）"
            inputmode="numeric"
            required
          />
          <h2>文书模板</h2>
          <p>留空则使用平台的标准模板。可用占位符：{placeholders}。每段一行。</p>
          {kinds.map((k) => (
            <div class="field wide">
              <label for={`f-template_${k}`}>{letterKinds[k]}</label>
              <textarea id={`f-template_${k}`} name={`template_${k}`} rows={6}>
                {stringValue(f.values[`template_${k}`])}
              </textarea>
            </div>
          ))}
          <button type="submit">保存</button>
        </form>
      </ConsoleLayout>,
    )
  }

  app.get('/console/request-settings', async (request, reply) =>
    page(request, reply, 200, undefined, (request.query as { saved?: string }).saved === '1'),
  )

  app.post('/console/request-settings', async (request, reply) => {
    const parsed = parseForm(settingsForm, request.body)
    if (!parsed.ok) return page(request, reply, 422, parsed.form)
    const agencyId = requireStaff(request).agencyId
    const data = parsed.data as Record<string, string | number>
    await deps.db.transaction().execute(async (trx) => {
      const at = isoNow(deps.clock)
      await writeSetting(
        trx,
        keyOf(agencyId, 'reconsiderationBody'),
        String(data.reconsiderationBody),
        requireStaff(request).id,
        at,
      )
      await writeSetting(
        trx,
        keyOf(agencyId, 'frequentThreshold'),
        String(data.frequentThreshold),
        requireStaff(request).id,
        at,
      )
      for (const k of kinds) {
        const text = String(data[`template_${k}`] ?? '').trim()
        if (text) await writeSetting(trx, keyOf(agencyId, k), text, requireStaff(request).id, at)
        else await deleteSetting(trx, keyOf(agencyId, k))
      }
      await appendAudit(deps, trx, request.actor, {
        action: 'requests.settings',
        objectType: 'agency',
        objectId: agencyId,
        result: 'success',
        detail: {
          reconsiderationBody: data.reconsiderationBody,
          frequentThreshold: data.frequentThreshold,
          templates: kinds.filter((k) => String(data[`template_${k}`] ?? '').trim()),
        },
      })
    })
    return reply.redirect('/console/request-settings?saved=1', 303)
  })
}
