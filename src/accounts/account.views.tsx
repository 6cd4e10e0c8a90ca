import { Csrf, ErrorSummary, Field, Notice, Select } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import { EmptyRow, listLink, Pager } from '../web/pager.tsx'
import type { AccountListing } from './account.service.ts'
import { roleLabels } from './roles.ts'

export function AccountsPage(props: {
  ctx: PageContext
  data: AccountListing
  form: FormState
  /** A refusal to show above the list (the last 审计管理员 cannot be disabled…). */
  error?: string | undefined
  /** What was done (a reset link sent…). */
  notice?: string | undefined
  /** The list's filter as typed (none after a form was sent). */
  filter?: { q?: string | undefined; agency?: number | undefined }
}) {
  const { users, roles, agencies, bootstrap } = props.data
  const f = props.filter ?? {}
  const filtered = !!(f.q || f.agency)
  const link = (page: number) => listLink('/console/accounts', { q: f.q, agency: f.agency }, page)
  const agencyName = new Map(agencies.map((a) => [a.id, a.name]))
  const bootOptions = [
    ...(bootstrap.secadmin ? [{ value: 'secadmin', label: roleLabels.secadmin }] : []),
    ...(bootstrap.auditadmin ? [{ value: 'auditadmin', label: roleLabels.auditadmin }] : []),
  ]
  return (
    <ConsoleLayout ctx={props.ctx} title="账号管理">
      <h1>账号管理</h1>
      {props.notice && <Notice>{props.notice}</Notice>}
      {props.error && (
        <div class="error-summary" role="alert">
          <p>{props.error}</p>
        </div>
      )}
      <form method="get" action="/console/accounts" class="filters" role="search" aria-label="查找账号">
        <div class="field">
          <label for="q-text">用户名或姓名</label>
          <input id="q-text" name="q" value={f.q ?? ''} maxLength={50} />
        </div>
        <div class="field">
          <label for="q-agency">所属机关</label>
          <select id="q-agency" name="agency">
            <option value="">全部机关</option>
            {agencies.map((a) => (
              <option value={String(a.id)} selected={a.id === f.agency}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">查找</button>
        {filtered && <a href="/console/accounts">清除筛选</a>}
      </form>
      <table>
        <caption>
          {filtered ? '符合条件的账号' : '全部账号'}（共 {props.data.total} 个）
        </caption>
        <thead>
          <tr>
            <th scope="col">用户名</th>
            <th scope="col">姓名</th>
            <th scope="col">所属机关</th>
            <th scope="col">角色</th>
            <th scope="col">状态</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {users.length === 0 && <EmptyRow columns={6} filtered={filtered} />}
          {users.map((u) => (
            <tr>
              <td>{u.username}</td>
              <td>{u.display_name}</td>
              <td>{agencyName.get(u.agency_id)}</td>
              <td>{(roles.get(u.id) ?? []).map((g) => roleLabels[g.role]).join('、') || '—'}</td>
              <td>{u.disabled ? '已停用' : u.password_temporary ? '待首次登录' : '正常'}</td>
              <td class="actions">
                {/* One's own account cannot be disabled (the use case refuses it): no button that only leads to a refusal. */}
                {u.id !== props.ctx.user?.id && (
                  <form
                    method="post"
                    action={`/console/accounts/${u.id}/${u.disabled ? 'enable' : 'disable'}`}
                    class="inline"
                  >
                    <Csrf token={props.ctx.csrf} />
                    <button type="submit" class="secondary">
                      {u.disabled ? '启用' : '停用'}
                      <span class="visually-hidden">账号 {u.username}</span>
                    </button>
                  </form>
                )}
                <form method="post" action={`/console/accounts/${u.id}/reset-password`} class="inline">
                  <Csrf token={props.ctx.csrf} />
                  <button type="submit" class="secondary">
                    发送重置链接<span class="visually-hidden">（{u.username}）</span>
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager total={props.data.total} page={props.data.page} link={link} />
      <h2 id="new-account">新建账号</h2>
      <p class="hint">
        角色由安全管理员分配。
        {bootOptions.length > 0 && '安全管理员设立之前，可在此直接创建首个安全管理员和审计管理员。'}
        账号创建后，系统向本人邮箱发送设置密码的一次性链接，由本人设置密码（三员分立：系统管理员看不到密码）。
      </p>
      {!props.data.mailReady && (
        <Notice kind="warn">
          尚未配置邮件服务（SMTP_URL、PUBLIC_URL），不能在此创建账号：请先配置邮件服务，或请具有服务器权限的运维人员在服务器上创建账号。
        </Notice>
      )}
      <ErrorSummary form={props.form} />
      {/* Answered with the page again (422), which opens at the form and its error summary, below the list. */}
      <form method="post" action="/console/accounts#new-account" novalidate aria-labelledby="new-account">
        <Csrf token={props.ctx.csrf} />
        <Select
          form={props.form}
          name="agencyId"
          label="所属机关"
          options={agencies.map((a) => ({ value: String(a.id), label: a.name }))}
          required
        />
        <Field form={props.form} name="username" label="用户名" required />
        <Field form={props.form} name="displayName" label="姓名" required />
        <Field
          form={props.form}
          name="email"
          label="本人电子邮箱"
          type="email"
          autocomplete="off"
          required
          hint="设置密码的一次性链接发到此邮箱，须为账号使用人本人的邮箱；日后的重置链接也发到这里"
        />
        {bootOptions.length > 0 && (
          <Select
            form={props.form}
            name="bootstrapRole"
            label="管理员角色"
            placeholder="不设（普通工作人员）"
            options={bootOptions}
          />
        )}
        <button type="submit">创建账号</button>
      </form>
    </ConsoleLayout>
  )
}
