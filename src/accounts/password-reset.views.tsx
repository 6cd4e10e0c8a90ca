import { Csrf, ErrorSummary, Field, Notice } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { ConsoleLayout, PortalLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'

/** The page a reset link opens: the user sets a new password, or is told the link no longer works. */
export function PasswordResetPage(props: {
  ctx: PageContext
  token: string
  username: string | undefined
  form: FormState
  message?: string | undefined
}) {
  return (
    <PortalLayout ctx={props.ctx} title="设置新密码">
      <h1>设置新密码</h1>
      {props.username === undefined ? (
        <Notice kind="warn">{props.message ?? '重置链接无效、已使用或已过期。请联系系统管理员重新发送。'}</Notice>
      ) : (
        <>
          <p>
            账号：<strong>{props.username}</strong>。新密码只有您本人知道；设置后，该账号的所有登录会话随即结束。
          </p>
          <ErrorSummary form={props.form} message={props.message} />
          <form method="post" action="/password-reset" novalidate>
            <Csrf token={props.ctx.csrf} />
            <input type="hidden" name="token" value={props.token} />
            <Field
              form={props.form}
              name="next"
              label="新密码"
              type="password"
              autocomplete="new-password"
              keep={false}
              required
              hint="须符合安全策略（等保三级默认：至少 12 个字符，包含大写字母、小写字母、数字、符号中的至少 3 类），不得与最近使用过的密码相同"
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
            <button type="submit">设置新密码</button>
          </form>
        </>
      )}
    </PortalLayout>
  )
}

/** The account's own e-mail address, where reset links go; set with the current password. */
export function OwnEmailPage(props: {
  ctx: PageContext
  form: FormState
  current: string | undefined
  saved?: boolean
}) {
  return (
    <ConsoleLayout ctx={props.ctx} title="本人邮箱">
      <h1>本人邮箱</h1>
      {props.saved && <Notice>本人邮箱已登记。</Notice>}
      <p>
        忘记密码时，系统管理员可向此邮箱发送一次性重置链接，由您本人设置新密码；管理员看不到链接，也看不到您的密码。
        {props.current ? `当前登记：${props.current}。` : '尚未登记。'}
      </p>
      <ErrorSummary form={props.form} />
      <form method="post" action="/console/email" novalidate>
        <Csrf token={props.ctx.csrf} />
        <Field form={props.form} name="email" label="电子邮箱" type="email" autocomplete="email" required />
        <Field
          form={props.form}
          name="current"
          label="当前密码"
          type="password"
          autocomplete="current-password"
          keep={false}
          required
        />
        <button type="submit">保存</button>
      </form>
    </ConsoleLayout>
  )
}
