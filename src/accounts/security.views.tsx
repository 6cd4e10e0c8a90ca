import { Csrf, ErrorSummary, Field, Notice, Select } from '../web/form.tsx'
import type { FormState } from '../web/form.tsx'
import { ConsoleLayout } from '../web/layout.tsx'
import type { PageContext } from '../web/layout.tsx'
import type { Paged } from '../paging.ts'
import { listLink, Pager } from '../web/pager.tsx'
import type { SecurityAccount } from './account.service.ts'
import { maxReviewLevel, roleLabels, roles as allRoles } from './roles.ts'
import type { Role } from './roles.ts'
import { belowBaselineLabel } from './password-policy.ts'

/** The policy in force measured against the 等保 level-3 baseline. */
export type PolicyStanding = { shortfalls: readonly string[]; reason: string | null }

/** Says that the policy in force is below the 等保 level-3 baseline, where, and the reason recorded. */
export function BelowBaselineNotice(props: { standing: PolicyStanding }) {
  if (props.standing.shortfalls.length === 0) return null
  return (
    <Notice kind="warn">
      <strong id="below-baseline">{belowBaselineLabel}</strong>：{props.standing.shortfalls.join('；')}。
      {props.standing.reason && <>偏离理由：{props.standing.reason}</>}
    </Notice>
  )
}

export function PolicyPage(props: { ctx: PageContext; form: FormState; saved?: boolean; standing: PolicyStanding }) {
  const f = props.form
  const box = (name: string, label: string) => (
    <div class="field checkbox">
      <input
        type="checkbox"
        id={`f-${name}`}
        name={name}
        checked={f.values[name] === true || f.values[name] === 'on'}
      />
      <label for={`f-${name}`}>{label}</label>
    </div>
  )
  return (
    <ConsoleLayout ctx={props.ctx} title="安全策略">
      <h1>安全策略</h1>
      {props.saved && <Notice>安全策略已保存。</Notice>}
      <BelowBaselineNotice standing={props.standing} />
      <p class="hint">
        默认值符合网络安全等级保护第三级要求（GB/T
        22239-2019）。选择“ASVS”模板将不再强制字符类别和定期更换密码，须在系统安全文档中记录此偏离。
      </p>
      <ErrorSummary form={f} />
      <form method="post" action="/console/security" novalidate>
        <Csrf token={props.ctx.csrf} />
        <Select
          form={f}
          name="profile"
          label="策略模板"
          options={[
            { value: 'dengbao', label: '等保三级（默认）' },
            { value: 'asvs', label: 'OWASP ASVS' },
          ]}
          required
        />
        <Field form={f} name="minLength" label="最短密码长度（字符）" inputmode="numeric" required />
        <Field
          form={f}
          name="minClasses"
          label="至少包含的字符类别数（大写、小写、数字、符号）"
          inputmode="numeric"
          required
        />
        <Field form={f} name="maxAgeDays" label="密码有效天数（0 为不过期）" inputmode="numeric" required />
        <Field form={f} name="historyCount" label="不得重复使用最近几次密码" inputmode="numeric" required />
        <Field form={f} name="lockoutThreshold" label="连续登录失败几次后锁定" inputmode="numeric" required />
        <Field form={f} name="lockoutMinutes" label="锁定时长（分钟）" inputmode="numeric" required />
        <Field form={f} name="idleMinutes" label="空闲超时（分钟）" inputmode="numeric" required />
        <Field form={f} name="adminIdleMinutes" label="管理员和发布人空闲超时（分钟）" inputmode="numeric" required />
        <Field form={f} name="absoluteHours" label="会话最长时长（小时）" inputmode="numeric" required />
        <Field
          form={f}
          name="temporaryPasswordHours"
          label="初始密码及设置密码链接有效期（小时）"
          inputmode="numeric"
          required
        />
        {box('totpForAdmins', '三类管理员须使用动态验证码')}
        {box('totpForAllStaff', '业务账号（全体工作人员）须使用动态验证码（等保三级双因素要求）')}
        <Field
          form={f}
          name="deviationReason"
          label="偏离等保三级基线的理由"
          hint="策略低于基线（少于 8 位或 3 类字符、密码不过期、不限制重复使用、管理员不用动态验证码、采用 ASVS 模板）时必填，记入审计日志"
        />
        <button type="submit">保存</button>
      </form>
    </ConsoleLayout>
  )
}

export function SecurityAccountsPage(props: {
  ctx: PageContext
  /** One page of the accounts, with the number the search found. */
  list: Paged<SecurityAccount>
  q?: string | undefined
  message?: string | undefined
  error?: string | undefined
}) {
  const link = (page: number) => listLink('/console/security/accounts', { q: props.q }, page)
  return (
    <ConsoleLayout ctx={props.ctx} title="角色与解锁">
      <h1>角色与解锁</h1>
      {props.message && <Notice>{props.message}</Notice>}
      {props.error && (
        <div class="error-summary" role="alert">
          <p>{props.error}</p>
        </div>
      )}
      <p class="hint">一个账号不得兼任两种管理员角色，管理员不得兼任业务角色。修改角色后，该账号须重新登录。</p>
      <form method="get" action="/console/security/accounts" class="filters" role="search" aria-label="查找账号">
        <div class="field">
          <label for="q-text">用户名、姓名或机关</label>
          <input id="q-text" name="q" value={props.q ?? ''} maxLength={50} />
        </div>
        <button type="submit">查找</button>
        {props.q && <a href="/console/security/accounts">清除筛选</a>}
      </form>
      <p>
        {props.q ? '符合条件的账号' : '全部账号'}共 {props.list.total} 个。
        {props.list.total === 0 && props.q && '没有符合筛选条件的记录，请修改或清除筛选条件。'}
      </p>
      {props.list.rows.map((r) => (
        <section class="account-card" aria-labelledby={`acct-${r.id}`}>
          <h2 id={`acct-${r.id}`}>
            {r.name}（{r.username}）
          </h2>
          <p>
            {r.agency}
            {r.disabled && '；已停用'}
            {r.locked && `；已锁定至 ${r.locked}`}
          </p>
          <form method="post" action={`/console/security/accounts/${r.id}/roles`}>
            <Csrf token={props.ctx.csrf} />
            <fieldset>
              <legend>角色</legend>
              {allRoles.map((role: Role) => (
                <div class="checkbox">
                  <input
                    type="checkbox"
                    id={`r-${r.id}-${role}`}
                    name="roles"
                    value={role}
                    checked={r.grants.some((g) => g.role === role)}
                  />
                  <label for={`r-${r.id}-${role}`}>{roleLabels[role]}</label>
                </div>
              ))}
              <label for={`lvl-${r.id}`}>审核级别（审核人适用）</label>
              <select id={`lvl-${r.id}`} name="reviewLevel">
                <option value="">不适用</option>
                {Array.from({ length: maxReviewLevel }, (_, i) => i + 1).map((l) => (
                  <option value={String(l)} selected={r.grants.some((g) => g.reviewLevel === l)}>
                    {l} 级
                  </option>
                ))}
              </select>
            </fieldset>
            <button type="submit">保存角色</button>
          </form>
          <form method="post" action={`/console/security/accounts/${r.id}/unlock`} class="inline">
            <Csrf token={props.ctx.csrf} />
            <button type="submit" class="secondary">
              解除锁定
            </button>
          </form>
          <form method="post" action={`/console/security/accounts/${r.id}/end-sessions`} class="inline">
            <Csrf token={props.ctx.csrf} />
            <button type="submit" class="secondary">
              结束全部会话
            </button>
          </form>
        </section>
      ))}
      <Pager total={props.list.total} page={props.list.page} link={link} />
    </ConsoleLayout>
  )
}
