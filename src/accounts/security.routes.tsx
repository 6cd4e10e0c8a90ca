import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { securityPolicyStanding, updateSecurityPolicy } from '../settings/security-policy.service.ts'
import { parseForm } from '../web/form-parse.ts'
import { pageParam, textFilter } from '../web/pager.tsx'
import type { PageContext } from '../web/layout.tsx'
import { assignRoles, endSessions, securityAccountsPage, unlockAccount } from './account.service.ts'
import { PolicyPage, SecurityAccountsPage } from './security.views.tsx'
import { securityPolicySchema } from './password-policy.ts'
import type { SecurityPolicy } from './password-policy.ts'
import { maxReviewLevel, roles as allRoles } from './roles.ts'
import { attempt, pageContext } from '../web/request-context.ts'

const idParam = z.object({ id: z.coerce.number().int().positive() })
const num = (label: string, min: number, max: number) =>
  z.coerce
    .number({ error: `请填写${label}` })
    .int(`${label}须为整数`)
    .min(min, `${label}不得小于 ${min}`)
    .max(max, `${label}不得大于 ${max}`)
const checkbox = z.preprocess((v) => v === 'on' || v === '1' || v === 'true', z.boolean())

const policyForm = z.object({
  profile: z.enum(['dengbao', 'asvs'], { error: '请选择策略模板' }),
  minLength: num('最短密码长度', 8, 64),
  minClasses: num('字符类别数', 0, 4),
  maxAgeDays: num('密码有效天数', 0, 365),
  historyCount: num('密码历史次数', 0, 24),
  lockoutThreshold: num('锁定阈值', 3, 20),
  lockoutMinutes: num('锁定时长', 1, 1440),
  idleMinutes: num('空闲超时', 5, 120),
  adminIdleMinutes: num('管理员空闲超时', 5, 60),
  absoluteHours: num('会话最长时长', 1, 24),
  temporaryPasswordHours: num('初始密码及设置密码链接有效期', 1, 168),
  totpForAdmins: checkbox,
  totpForAllStaff: checkbox,
  deviationReason: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : ''),
    z
      .string()
      .max(500, '偏离理由不得超过 500 个字')
      .transform((v) => (v === '' ? null : v)),
  ),
}) satisfies z.ZodType<SecurityPolicy>

const rolesForm = z.object({
  roles: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.enum(allRoles, { error: '角色不存在' })),
  ),
  reviewLevel: z.preprocess(
    (v) => (v === '' || v === undefined ? null : v),
    z.coerce.number().int().min(1).max(maxReviewLevel).nullable(),
  ),
})

/** The accounts list's search words and page. */
const listQuery = z.object({
  q: z
    .unknown()
    .optional()
    .transform((v) => textFilter(v, 50)),
  page: pageParam,
})

export function securityRoutes(app: FastifyInstance): void {
  const deps = app.deps

  app.get('/console/security', async (request, reply) => {
    const standing = await securityPolicyStanding(deps)
    const saved = (request.query as { saved?: string }).saved === '1'
    const values = { ...standing.policy, deviationReason: standing.reason ?? '' }
    return reply.page(
      200,
      <PolicyPage ctx={pageContext(request)} form={{ values, errors: {} }} saved={saved} standing={standing} />,
    )
  })

  app.post('/console/security', async (request, reply) => {
    const standing = await securityPolicyStanding(deps)
    const parsed = parseForm(policyForm, request.body)
    if (!parsed.ok)
      return reply.page(422, <PolicyPage ctx={pageContext(request)} form={parsed.form} standing={standing} />)
    const r = await attempt(() => updateSecurityPolicy(deps, request.actor, securityPolicySchema.parse(parsed.data)))
    if (!r.ok) {
      const form = { values: request.body as Record<string, unknown>, errors: r.error.fields }
      return reply.page(422, <PolicyPage ctx={pageContext(request)} form={form} standing={standing} />)
    }
    return reply.redirect('/console/security?saved=1', 303)
  })

  const page = async (ctx: PageContext, message?: string, error?: string, query: unknown = {}) => {
    const { q, page: n } = listQuery.parse(query ?? {})
    const rows = await securityAccountsPage(deps, q, n)
    return <SecurityAccountsPage ctx={ctx} list={rows} q={q} message={message} error={error} />
  }

  app.get('/console/security/accounts', async (request, reply) => {
    const done = (request.query as { done?: string }).done
    return reply.page(200, await page(pageContext(request), done ? '已保存。' : undefined, undefined, request.query))
  })

  app.post('/console/security/accounts/:id/roles', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    const parsed = parseForm(rolesForm, request.body)
    if (!parsed.ok)
      return reply.page(422, await page(pageContext(request), undefined, Object.values(parsed.form.errors).join('；')))
    const grants = parsed.data.roles.map((role) => ({
      role,
      reviewLevel: role === 'reviewer' ? parsed.data.reviewLevel : null,
    }))
    // Every refusal but a missing account is shown on the page: a role set not allowed, the last admin…
    const r = await attempt(
      () => assignRoles(deps, request.actor, id, grants),
      (e) => e.code !== 'not_found',
    )
    if (!r.ok) return reply.page(422, await page(pageContext(request), undefined, r.error.message))
    return reply.redirect('/console/security/accounts?done=1', 303)
  })

  app.post('/console/security/accounts/:id/unlock', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    await unlockAccount(deps, request.actor, id)
    return reply.redirect('/console/security/accounts?done=1', 303)
  })

  app.post('/console/security/accounts/:id/end-sessions', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    await endSessions(deps, request.actor, id)
    return reply.redirect('/console/security/accounts?done=1', 303)
  })
}
