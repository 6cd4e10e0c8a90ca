import { agencyLevels } from '../agencies/agency.ts'
import { Csrf, ErrorSummary, Field, Select } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { PortalLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'

export function SetupPage(props: { ctx: PageContext; form: FormState }) {
  const { form } = props
  return (
    <PortalLayout ctx={props.ctx} title="初始化">
      <h1>平台初始化</h1>
      <p>首次使用，请登记本区域、政府信息公开工作主管部门（如县政府办公室）和系统管理员。完成后此页面将关闭。</p>
      <ErrorSummary form={form} />
      <form method="post" action="/setup" novalidate>
        <Csrf token={props.ctx.csrf} />
        <fieldset>
          <legend>区域与主管部门</legend>
          <Field form={form} name="regionName" label="区域名称" hint="例如：重庆市垫江县" required />
          <Field form={form} name="officeName" label="主管部门全称" hint="例如：垫江县人民政府办公室" required />
          <Field
            form={form}
            name="officeCreditCode"
            label="主管部门统一社会信用代码"
            hint="18 位，末位为校验码"
            required
          />
          <Select form={form} name="officeLevel" label="行政层级" options={agencyLevels} required />
        </fieldset>
        <fieldset>
          <legend>系统管理员</legend>
          <Field
            form={form}
            name="adminUsername"
            label="用户名"
            autocomplete="username"
            hint="3–32 位小写字母、数字、点、下划线或连字符"
            required
          />
          <Field form={form} name="adminName" label="姓名" autocomplete="name" required />
          <p class="hint">系统将生成一次性初始密码，首次登录时须修改，并绑定动态验证码。</p>
        </fieldset>
        <button type="submit">完成初始化</button>
      </form>
    </PortalLayout>
  )
}

/** The end of setup: the system administrator's initial password, shown this once. */
export function SetupDonePage(props: { ctx: PageContext; created: { username: string; temporaryPassword: string } }) {
  return (
    <PortalLayout ctx={props.ctx} title="初始化完成">
      <h1>初始化完成</h1>
      <p>系统管理员账号已创建。请记下初始密码：它只显示这一次，首次登录后须立即修改。</p>
      <dl class="credentials">
        <dt>用户名</dt>
        <dd id="initial-username">{props.created.username}</dd>
        <dt>初始密码</dt>
        <dd>
          <code id="initial-password">{props.created.temporaryPassword}</code>
        </dd>
      </dl>
      <p>
        <a class="button" href="/login">
          前往登录
        </a>
      </p>
    </PortalLayout>
  )
}
