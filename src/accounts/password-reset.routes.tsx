import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { emptyForm } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import { attempt, pageContext, requireStaff } from '../web/request-context.ts'
import { emailField } from './account.ts'
import { ownEmailMasked, setOwnEmail } from './credentials.service.ts'
import { completePasswordReset, resetLinkAccount } from './password-reset.service.ts'
import { OwnEmailPage, PasswordResetPage } from './password-reset.views.tsx'

// The user's side of a password reset (issue #14): the link's page, where the user alone sets the new
// password, and the page where the user registers the address links go to.

const resetForm = z
  .object({
    token: z.string({ error: '重置链接无效' }).max(200),
    next: z.string({ error: '请填写新密码' }).min(1, '请填写新密码').max(256, '密码过长'),
    confirm: z.string({ error: '请再次填写新密码' }).min(1, '请再次填写新密码'),
  })
  .refine((v) => v.next === v.confirm, { path: ['confirm'], message: '两次填写的新密码不一致' })

const emailForm = z.object({
  email: emailField,
  current: z.string({ error: '请填写当前密码' }).min(1, '请填写当前密码').max(256, '密码过长'),
})

export function passwordResetRoutes(app: FastifyInstance): void {
  const deps = app.deps

  // Read-only: opening the link spends nothing (a mail scanner that follows links cannot use it up).
  app.get('/password-reset', async (request, reply) => {
    reply.header('cache-control', 'no-store')
    const token = String((request.query as { token?: unknown }).token ?? '')
    const account = await resetLinkAccount(deps, token)
    return reply.page(
      account ? 200 : 410,
      <PasswordResetPage ctx={pageContext(request)} token={token} username={account?.username} form={emptyForm} />,
    )
  })

  app.post('/password-reset', async (request, reply) => {
    reply.header('cache-control', 'no-store')
    const body = (request.body ?? {}) as Record<string, unknown>
    const token = typeof body.token === 'string' ? body.token : ''
    const account = await resetLinkAccount(deps, token)
    const page = (status: number, form = emptyForm, message?: string) =>
      reply.page(
        status,
        <PasswordResetPage
          ctx={pageContext(request)}
          token={token}
          username={account?.username}
          form={form}
          message={message}
        />,
      )
    if (!account) return page(410)
    const parsed = parseForm(resetForm, body, ['next', 'confirm', 'token'])
    if (!parsed.ok) return page(422, parsed.form)
    const r = await attempt(
      () => completePasswordReset(deps, token, parsed.data.next, request.ip),
      (e) => e.code === 'invalid_input' || e.code === 'invalid_transition',
    )
    if (!r.ok)
      return r.error.code === 'invalid_transition'
        ? page(410, emptyForm, r.error.message)
        : page(422, { values: {}, errors: r.error.fields })
    return reply.redirect('/login?reset=1', 303)
  })

  app.get('/console/email', async (request, reply) => {
    const user = requireStaff(request)
    const saved = (request.query as { saved?: string }).saved === '1'
    return reply.page(
      200,
      <OwnEmailPage
        ctx={pageContext(request)}
        form={emptyForm}
        current={await ownEmailMasked(deps, user.id)}
        saved={saved}
      />,
    )
  })

  app.post('/console/email', async (request, reply) => {
    const user = requireStaff(request)
    const current = await ownEmailMasked(deps, user.id)
    const parsed = parseForm(emailForm, request.body, ['current'])
    if (!parsed.ok)
      return reply.page(422, <OwnEmailPage ctx={pageContext(request)} form={parsed.form} current={current} />)
    const actor = { ...request.actor, id: user.id }
    const r = await attempt(() => setOwnEmail(deps, actor, parsed.data.current, parsed.data.email))
    if (!r.ok) {
      const form = { values: { email: parsed.data.email }, errors: r.error.fields }
      return reply.page(422, <OwnEmailPage ctx={pageContext(request)} form={form} current={current} />)
    }
    return reply.redirect('/console/email?saved=1', 303)
  })
}
