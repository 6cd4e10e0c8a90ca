import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import QRCode from 'qrcode'
import { z } from 'zod'
import { AppError } from '../errors.ts'
import { Csrf, ErrorSummary, Field, Notice, emptyForm } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { parseForm } from '../web/form-parse.ts'
import { ConsoleLayout, PortalLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import {
  beginTotpEnrolment,
  changeOwnPassword,
  confirmTotpEnrolment,
  pendingTotpSecret,
} from './credentials.service.ts'
import { completeTotpLogin, login, logout } from './login.service.ts'
import { otpauthUri } from './totp.ts'
import { pageContext, requireStaff } from '../web/request-context.ts'

const loginForm = z.object({
  username: z.string({ error: '请填写用户名' }).trim().min(1, '请填写用户名').max(64, '用户名过长'),
  password: z.string({ error: '请填写密码' }).min(1, '请填写密码').max(256, '密码过长'),
})
const codeForm = z.object({
  code: z
    .string({ error: '请填写 6 位动态验证码' })
    .trim()
    .regex(/^\d{6}$/, '请填写 6 位数字动态验证码'),
})
const passwordForm = z
  .object({
    current: z.string({ error: '请填写当前密码' }).min(1, '请填写当前密码').max(256, '密码过长'),
    next: z.string({ error: '请填写新密码' }).min(1, '请填写新密码').max(256, '密码过长'),
    confirm: z.string({ error: '请再次填写新密码' }).min(1, '请再次填写新密码'),
  })
  .refine((v) => v.next === v.confirm, { path: ['confirm'], message: '两次填写的新密码不一致' })

const loginLimit = { rateLimit: { max: 20, timeWindow: '1 minute' } }

function LoginPage(props: {
  ctx: PageContext
  form: FormState
  message?: string | undefined
  info?: string | undefined
}) {
  return (
    <PortalLayout ctx={props.ctx} title="工作人员登录">
      <h1>工作人员登录</h1>
      {props.info && <Notice kind="warn">{props.info}</Notice>}
      <ErrorSummary form={props.form} message={props.message} />
      <form method="post" action="/login" novalidate>
        <Csrf token={props.ctx.csrf} />
        <Field form={props.form} name="username" label="用户名" autocomplete="username" required />
        <Field
          form={props.form}
          name="password"
          label="密码"
          type="password"
          autocomplete="current-password"
          keep={false}
          required
        />
        <button type="submit">登录</button>
      </form>
    </PortalLayout>
  )
}

function TotpLoginPage(props: { ctx: PageContext; form: FormState; message?: string | undefined }) {
  return (
    <PortalLayout ctx={props.ctx} title="动态验证码">
      <h1>输入动态验证码</h1>
      <p>请打开手机上的身份验证器，输入本平台对应的 6 位数字。</p>
      <ErrorSummary form={props.form} message={props.message} />
      <form method="post" action="/login/totp" novalidate>
        <Csrf token={props.ctx.csrf} />
        <Field
          form={props.form}
          name="code"
          label="动态验证码"
          autocomplete="one-time-code"
          inputmode="numeric"
          keep={false}
          required
        />
        <button type="submit">验证并登录</button>
      </form>
    </PortalLayout>
  )
}

function PasswordPage(props: { ctx: PageContext; form: FormState; forced: boolean; done?: boolean }) {
  return (
    <ConsoleLayout ctx={props.ctx} title="修改密码">
      <h1>修改密码</h1>
      {props.forced && <Notice kind="warn">您正在使用初始密码或密码已到期，请先设置新密码。</Notice>}
      {props.done && <Notice>密码已修改。</Notice>}
      <ErrorSummary form={props.form} />
      <form method="post" action="/console/password" novalidate>
        <Csrf token={props.ctx.csrf} />
        <Field
          form={props.form}
          name="current"
          label="当前密码"
          type="password"
          autocomplete="current-password"
          keep={false}
          required
        />
        <Field
          form={props.form}
          name="next"
          label="新密码"
          type="password"
          autocomplete="new-password"
          keep={false}
          required
          hint="至少 12 个字符，包含大写字母、小写字母、数字、符号中的至少 3 类；不得与最近使用过的密码相同"
        />
        <Field
          form={props.form}
          name="confirm"
          label="确认新密码"
          type="password"
          autocomplete="new-password"
          keep={false}
          required
        />
        <button type="submit">保存新密码</button>
      </form>
    </ConsoleLayout>
  )
}

function TotpPage(props: {
  ctx: PageContext
  form: FormState
  secret?: string | undefined
  qr?: string | undefined
  enabled: boolean
  required: boolean
}) {
  return (
    <ConsoleLayout ctx={props.ctx} title="动态验证码">
      <h1>动态验证码（双因素认证）</h1>
      {props.enabled ? (
        <Notice>已启用动态验证码。登录时须输入手机身份验证器上的 6 位数字。</Notice>
      ) : (
        <>
          {props.required && <Notice kind="warn">按照安全策略，您的账号须绑定动态验证码后才能继续使用。</Notice>}
          <ol class="steps">
            <li>在手机上安装支持 TOTP 的身份验证器应用。</li>
            <li>扫描下方二维码，或手工输入密钥。</li>
            <li>输入应用显示的 6 位数字完成绑定。</li>
          </ol>
          {props.qr && (
            <img class="qr" src={props.qr} alt="动态验证码绑定二维码（内容与下方密钥相同）" width={200} height={200} />
          )}
          <p>
            密钥：<code id="totp-secret">{props.secret}</code>
          </p>
          <ErrorSummary form={props.form} />
          <form method="post" action="/console/totp" novalidate>
            <Csrf token={props.ctx.csrf} />
            <Field
              form={props.form}
              name="code"
              label="动态验证码"
              autocomplete="one-time-code"
              inputmode="numeric"
              keep={false}
              required
            />
            <button type="submit">完成绑定</button>
          </form>
        </>
      )}
    </ConsoleLayout>
  )
}

const client = (request: FastifyRequest) => ({ ip: request.ip, userAgent: String(request.headers['user-agent'] ?? '') })

export function loginRoutes(app: FastifyInstance): void {
  const deps = app.deps

  app.get('/login', async (request, reply) => {
    if (request.staff) return reply.redirect('/console')
    const expired = (request.query as { expired?: string }).expired === '1'
    return reply.page(
      200,
      <LoginPage ctx={pageContext(request)} form={emptyForm} info={expired ? '登录已超时，请重新登录。' : undefined} />,
    )
  })

  app.post('/login', { config: loginLimit }, async (request, reply) => {
    const parsed = parseForm(loginForm, request.body, ['password'])
    if (!parsed.ok) return reply.page(422, <LoginPage ctx={pageContext(request)} form={parsed.form} />)
    const outcome = await login(deps, parsed.data.username, parsed.data.password, client(request))
    if (!outcome.ok) {
      return reply.page(
        422,
        <LoginPage
          ctx={pageContext(request)}
          form={{ values: { username: parsed.data.username }, errors: {} }}
          message={outcome.message}
        />,
      )
    }
    app.setSessionCookie(reply, outcome.token)
    reply.clearCookie('gk_csrf', { path: '/' })
    return reply.redirect(outcome.stage === 'totp' ? '/login/totp' : '/console', 303)
  })

  app.get('/login/totp', async (request, reply) => {
    if (request.sessionView.state !== 'totp') return reply.redirect('/login', 303)
    return reply.page(200, <TotpLoginPage ctx={pageContext(request)} form={emptyForm} />)
  })

  app.post('/login/totp', { config: loginLimit }, async (request, reply) => {
    const token = request.cookies[app.sessionCookie]
    if (request.sessionView.state !== 'totp' || !token) return reply.redirect('/login', 303)
    const parsed = parseForm(codeForm, request.body, ['code'])
    if (!parsed.ok) return reply.page(422, <TotpLoginPage ctx={pageContext(request)} form={parsed.form} />)
    const outcome = await completeTotpLogin(deps, token, parsed.data.code, client(request))
    if (!outcome.ok)
      return reply.page(422, <TotpLoginPage ctx={pageContext(request)} form={emptyForm} message={outcome.message} />)
    app.setSessionCookie(reply, outcome.token)
    return reply.redirect('/console', 303)
  })

  app.post('/logout', async (request, reply) => {
    if (request.sessionView.state === 'full' || request.sessionView.state === 'totp') {
      await logout(deps, request.sessionView.sessionId, request.actor)
    }
    reply.clearCookie(app.sessionCookie, { path: '/' })
    return reply.redirect('/login', 303)
  })

  app.get('/console/password', async (request, reply) => {
    const user = requireStaff(request)
    return reply.page(
      200,
      <PasswordPage ctx={pageContext(request)} form={emptyForm} forced={user.mustChangePassword} />,
    )
  })

  app.post('/console/password', async (request, reply) => {
    const user = requireStaff(request)
    const parsed = parseForm(passwordForm, request.body, ['current', 'next', 'confirm'])
    if (!parsed.ok)
      return reply.page(
        422,
        <PasswordPage ctx={pageContext(request)} form={parsed.form} forced={user.mustChangePassword} />,
      )
    try {
      await changeOwnPassword(
        deps,
        { ...request.actor, id: user.id },
        request.csrfBinding,
        parsed.data.current,
        parsed.data.next,
      )
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_input') {
        return reply.page(
          422,
          <PasswordPage
            ctx={pageContext(request)}
            form={{ values: {}, errors: e.fields }}
            forced={user.mustChangePassword}
          />,
        )
      }
      throw e
    }
    return reply.redirect(user.mustEnrolTotp ? '/console/totp' : '/console?password=changed', 303)
  })

  const totpView = async (request: FastifyRequest, reply: FastifyReply, status: number, form: FormState) => {
    const user = requireStaff(request)
    let secret: string | undefined
    if (!user.totpEnabled)
      secret =
        (await pendingTotpSecret(deps, user.id)) ?? (await beginTotpEnrolment(deps, { ...request.actor, id: user.id }))
    const qr = secret ? await QRCode.toDataURL(otpauthUri(secret, user.username), { margin: 1, width: 200 }) : undefined
    return reply.page(
      status,
      <TotpPage
        ctx={pageContext(request)}
        form={form}
        secret={secret}
        qr={qr}
        enabled={user.totpEnabled}
        required={user.mustEnrolTotp}
      />,
    )
  }

  app.get('/console/totp', async (request, reply) => totpView(request, reply, 200, emptyForm))

  app.post('/console/totp', async (request, reply) => {
    const user = requireStaff(request)
    const parsed = parseForm(codeForm, request.body, ['code'])
    if (!parsed.ok) return totpView(request, reply, 422, parsed.form)
    try {
      await confirmTotpEnrolment(deps, { ...request.actor, id: user.id }, parsed.data.code)
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_input')
        return totpView(request, reply, 422, { values: {}, errors: e.fields })
      throw e
    }
    return reply.redirect('/console?totp=enabled', 303)
  })
}
