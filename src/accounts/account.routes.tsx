import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { AppError } from '../errors.ts'
import { emptyForm } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import { pageParam, textFilter } from '../web/pager.tsx'
import { displayNameField, emailField, usernameField } from './account.ts'
import { accountListing, setAccountDisabled, usernameOf } from './account.service.ts'
import { createAccountWithSetupLink } from './account-setup.service.ts'
import { resetLinkMinutes, sendPasswordResetLink } from './password-reset.service.ts'
import { AccountsPage } from './account.views.tsx'
import { attempt, pageContext } from '../web/request-context.ts'

const idParam = z.object({ id: z.coerce.number().int().positive() })
// A new account is refused on its form for a taken name, a wrong input or a role not open to create.
const refusedAccount = (e: AppError) => e.code === 'conflict' || e.code === 'invalid_input' || e.code === 'forbidden'
const accountForm = z.object({
  agencyId: z.coerce.number({ error: '请选择所属机关' }).int().positive('请选择所属机关'),
  username: usernameField,
  displayName: displayNameField,
  email: emailField,
  bootstrapRole: z.enum(['', 'secadmin', 'auditadmin']).optional(),
})

/** The list's search words, agency and page; an unknown agency lists nobody, a bad one no filter. */
const listQuery = z.object({
  q: z
    .unknown()
    .optional()
    .transform((v) => textFilter(v, 50)),
  agency: z.coerce.number().int().positive().optional().catch(undefined),
  page: pageParam,
})

export function accountRoutes(app: FastifyInstance): void {
  const deps = app.deps
  const listing = () => accountListing(deps)

  app.get('/console/accounts', async (request, reply) => {
    const { q, agency, page } = listQuery.parse(request.query ?? {})
    const data = await accountListing(deps, { text: q, agencyId: agency }, page)
    return reply.page(
      200,
      <AccountsPage ctx={pageContext(request)} data={data} form={emptyForm} filter={{ q, agency }} />,
    )
  })

  app.post('/console/accounts', async (request, reply) => {
    const parsed = parseForm(accountForm, request.body)
    if (!parsed.ok)
      return reply.page(422, <AccountsPage ctx={pageContext(request)} data={await listing()} form={parsed.form} />)
    const { bootstrapRole, ...input } = parsed.data
    const roles = bootstrapRole ? [{ role: bootstrapRole, reviewLevel: null }] : []
    // 三员分立 (issue #14): the owner sets the first password through a link sent by mail; the
    // 系统管理员 sees no password and no link. Without mail the account is not created.
    const r = await attempt(
      () => createAccountWithSetupLink(deps, request.actor, { ...input, roles }, 'bootstrap'),
      (e) => refusedAccount(e) || e.code === 'invalid_transition',
    )
    const ctx = pageContext(request)
    if (!r.ok) {
      if (r.error.code === 'invalid_transition') {
        const form = { values: parsed.data, errors: {} }
        return reply.page(422, <AccountsPage ctx={ctx} data={await listing()} form={form} error={r.error.message} />)
      }
      const errors = Object.keys(r.error.fields).length > 0 ? r.error.fields : { bootstrapRole: r.error.message }
      const form = { values: parsed.data, errors }
      return reply.page(422, <AccountsPage ctx={ctx} data={await listing()} form={form} />)
    }
    const notice =
      `账号 ${input.username} 已创建。设置密码的一次性链接已发送至本人邮箱 ${r.value.to}（${r.value.hours} 小时内有效，只能使用一次），` +
      '由本人设置密码；系统管理员看不到链接，也看不到密码。链接过期未用的，可点“发送重置链接”重新发送。'
    return reply.page(201, <AccountsPage ctx={ctx} data={await listing()} form={emptyForm} notice={notice} />)
  })

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(`/console/accounts/:id/${action}`, async (request, reply) => {
      const { id } = idParam.parse(request.params)
      // The last 安全管理员 or 审计管理员 is refused on the page (issue #14), not as an error page.
      const r = await attempt(
        () => setAccountDisabled(deps, request.actor, id, disabled),
        (e) => e.code === 'invalid_transition',
      )
      if (!r.ok)
        return reply.page(
          422,
          <AccountsPage ctx={pageContext(request)} data={await listing()} form={emptyForm} error={r.error.message} />,
        )
      return reply.redirect('/console/accounts', 303)
    })
  }

  app.post('/console/accounts/:id/reset-password', async (request, reply) => {
    const { id } = idParam.parse(request.params)
    // 三员分立 (issue #14): the 系统管理员 sees no password and no link; the user gets a one-time link.
    const r = await attempt(
      () => sendPasswordResetLink(deps, request.actor, id),
      (e) => e.code === 'invalid_transition',
    )
    const ctx = pageContext(request)
    if (!r.ok)
      return reply.page(422, <AccountsPage ctx={ctx} data={await listing()} form={emptyForm} error={r.error.message} />)
    const notice =
      `已向账号 ${(await usernameOf(deps, id)) ?? ''} 登记的邮箱 ${r.value.to} 发送一次性重置链接（${resetLinkMinutes} 分钟内有效，只能使用一次），` +
      '由本人设置新密码。原密码在本人设置新密码之前仍然有效。'
    return reply.page(200, <AccountsPage ctx={ctx} data={await listing()} form={emptyForm} notice={notice} />)
  })
}
