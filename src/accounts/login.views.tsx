import { Csrf, ErrorSummary, Field, Notice } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { ConsoleLayout, PortalLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'

export function LoginPage(props: {
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

export function TotpLoginPage(props: { ctx: PageContext; form: FormState; message?: string | undefined }) {
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

export function PasswordPage(props: { ctx: PageContext; form: FormState; forced: boolean; done?: boolean }) {
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

export function TotpPage(props: {
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
