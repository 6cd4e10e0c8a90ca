import type { StaffUser } from '../accounts/account.ts'
import { roleLabels } from '../accounts/roles.ts'
import { BelowBaselineNotice } from '../accounts/security.views.tsx'
import type { PolicyStanding } from '../accounts/security.views.tsx'
import type { Agency } from '../agencies/agency.ts'
import { Notice } from './form.tsx'
import { TodoList } from '../workbench/workbench.views.tsx'
import type { TodoGroup } from '../workbench/workbench.service.ts'
import { ConsoleLayout } from './layout.tsx'
import type { PageContext } from './layout.tsx'

/** The console's first page, the 工作台: the signed-in person's to-do list, and the warnings an administrator must act on. */
export function ConsoleHomePage(props: {
  ctx: PageContext
  user: StaffUser
  agency: Agency | undefined
  query: { password?: string; totp?: string; taken?: string }
  todo: TodoGroup[]
  isAdmin: boolean
  keySource: string
  dataDir: string
  malwareScanCommand: string | undefined
  /** For the administrators: the security policy against the 等保 level-3 baseline. */
  standing?: PolicyStanding | undefined
}) {
  const { user, agency, query, isAdmin } = props
  return (
    <ConsoleLayout ctx={props.ctx} title="工作台">
      <h1>工作台</h1>
      {query.password === 'changed' && <Notice>密码已修改。</Notice>}
      {query.totp === 'enabled' && <Notice>动态验证码已启用。</Notice>}
      {query.taken === '1' && <Notice>已领办，申请已分配给您。</Notice>}
      {isAdmin && props.standing && <BelowBaselineNotice standing={props.standing} />}
      {isAdmin && props.keySource === 'data-dir' && (
        <Notice kind="warn">
          密钥文件与数据存放在同一目录（{props.dataDir}
          ）。生产环境请通过环境变量或数据目录以外的密钥文件（KEY_FILE）提供密钥，并单独保管。
        </Notice>
      )}
      {isAdmin && !props.malwareScanCommand && (
        <Notice kind="warn">
          未配置防病毒扫描程序（MALWARE_SCAN_COMMAND，如 clamdscan --no-summary），上传文件目前只检查 EICAR
          测试样本。生产环境请安装并配置防病毒引擎。
        </Notice>
      )}
      <TodoList ctx={props.ctx} groups={props.todo} />
      <h2>我的账号</h2>
      <dl class="facts">
        <dt>姓名</dt>
        <dd>{user.displayName}</dd>
        <dt>所属机关</dt>
        <dd>{agency?.name}</dd>
        <dt>角色</dt>
        <dd>
          {user.roles.length
            ? user.roles
                .map((r) => (r === 'reviewer' ? `${roleLabels[r]}（${user.reviewLevel}级）` : roleLabels[r]))
                .join('、')
            : '尚未分配角色，请联系安全管理员'}
        </dd>
      </dl>
      <p>
        <a href="/console/email">本人邮箱</a>（忘记密码时接收一次性重置链接）
      </p>
    </ConsoleLayout>
  )
}
