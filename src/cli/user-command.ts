import { parseArgs } from 'node:util'
import { createAccount, resetPassword, unlockAccount } from '../accounts/account.service.ts'
import { findUserByUsername } from '../accounts/account.store.ts'
import { isRole, maxReviewLevel } from '../accounts/roles.ts'
import type { Role } from '../accounts/roles.ts'
import { findAgencyByCreditCode, findAgencyById, listAgencies } from '../agencies/agency.store.ts'
import { systemActor } from '../audit/audit.ts'
import { withDeps } from './with-deps.ts'

// `gongkai user create|passwd|unlock`.

type Out = { log: (s: string) => void; error: (s: string) => void }

export async function userCommand(args: string[], out: Out): Promise<number> {
  const [sub, ...rest] = args
  const actor = systemActor()
  if (sub === 'create') {
    const { values } = parseArgs({
      args: rest,
      options: {
        username: { type: 'string' },
        name: { type: 'string' },
        agency: { type: 'string' },
        role: { type: 'string', multiple: true },
        'review-level': { type: 'string' },
      },
    })
    if (!values.username || !values.name || !values.agency) {
      out.error('须给出 --username、--name 和 --agency')
      return 2
    }
    const roles = values.role ?? []
    const bad = roles.filter((r) => !isRole(r))
    if (bad.length) {
      out.error(`未知角色：${bad.join('、')}`)
      return 2
    }
    const level = values['review-level'] ? Number(values['review-level']) : null
    if (level !== null && !(Number.isInteger(level) && level >= 1 && level <= maxReviewLevel)) {
      out.error(`--review-level 须为 1–${maxReviewLevel}`)
      return 2
    }
    return withDeps(async (deps) => {
      const agencyArg = values.agency as string
      const agency = /^\d+$/.test(agencyArg)
        ? await findAgencyById(deps.db, Number(agencyArg))
        : await findAgencyByCreditCode(deps.db, agencyArg.toUpperCase())
      if (!agency) {
        const known = (await listAgencies(deps.db)).map((a) => `  ${a.id}  ${a.creditCode}  ${a.name}`).join('\n')
        out.error(`找不到机关：${agencyArg}${known ? `\n已登记的机关：\n${known}` : '（尚未初始化，请先访问 /setup）'}`)
        return 2
      }
      const grants = (roles as Role[]).map((role) => ({ role, reviewLevel: role === 'reviewer' ? level : null }))
      const { temporaryPassword } = await createAccount(
        deps,
        actor,
        { agencyId: agency.id, username: values.username as string, displayName: values.name as string, roles: grants },
        'operator',
      )
      out.log(
        `已创建账号 ${values.username}（${agency.name}）\n一次性初始密码：${temporaryPassword}\n首次登录须修改密码。`,
      )
      return 0
    })
  }
  if (sub === 'passwd' || sub === 'unlock') {
    const username = rest[0]
    if (!username) {
      out.error(`用法：gongkai user ${sub} <用户名>`)
      return 2
    }
    return withDeps(async (deps) => {
      const user = await findUserByUsername(deps.db, username)
      if (!user) {
        out.error(`账号不存在：${username}`)
        return 2
      }
      if (sub === 'passwd') {
        out.log(
          `账号 ${username} 的新一次性初始密码：${await resetPassword(deps, actor, user.id)}\n首次登录须修改密码。`,
        )
      } else {
        await unlockAccount(deps, actor, user.id)
        out.log(`已解除账号 ${username} 的锁定`)
      }
      return 0
    })
  }
  out.error('用法：gongkai user create|passwd|unlock …')
  return 2
}
