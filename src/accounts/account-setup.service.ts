import { hash } from '@node-rs/argon2'
import { randomBytes } from 'node:crypto'
import type { Actor } from '../audit/audit.ts'
import type { Deps } from '../deps.ts'
import { maskAddress } from '../notify/mail.ts'
import { queueStaffMail } from '../notify/outbox.service.ts'
import { sm3Hex } from '../security/crypto.ts'
import { readSecurityPolicy } from '../settings/security-policy.service.ts'
import { insertAccount } from './account.service.ts'
import type { GrantAuthority, NewAccount } from './account.service.ts'
import { updateUser } from './account.store.ts'
import { requireMailForLinks, resetLink } from './password-reset.service.ts'
import { insertPasswordReset } from './password-reset.store.ts'

// An account created in the console, in 三员分立 (issue #14; GB/T 22239-2019 §8.1.4.2 c, §8.1.5): the
// 系统管理员 who creates it must not be able to sign in as it before its owner does, as with a reset.
// So the account starts with a password nobody knows (a random one, hashed and thrown away), and a
// one-time "设置密码" link goes through the mail outbox to the owner's address, entered on the form and
// kept as the account's registered address. The link is the reset link (password_resets, page
// /password-reset): single use, only its SM3 hash kept, spent by one conditional update.
//
// It lasts as long as an initial password would, by the 安全管理员's setting 初始密码及设置密码链接有效期
// (default 72 hours; AUTH-06: initial secrets expire). A reset link lasts 30 minutes because its owner
// has just asked for it; a new colleague may read the mail days later, and 72 hours cover a weekend.
// A link that ran out is replaced with 发送重置链接, which goes to the same address.
//
// Without mail the console refuses: the operator with shell access, who is outside the three
// administrators, creates the account with `gongkai user create` and hands over its initial password.

export const setupMailKind = 'account_setup'

/**
 * Creates an account whose owner sets the first password through a one-time link sent by e-mail.
 * Returns the address it went to, masked, for the administrator's page; no password, no link.
 */
export async function createAccountWithSetupLink(
  deps: Deps,
  actor: Actor,
  input: NewAccount & { email: string },
  authority: GrantAuthority,
): Promise<{ id: number; to: string; hours: number }> {
  const publicUrl = requireMailForLinks(
    deps,
    '无法把设置密码的链接发给本人，账号未创建',
    '由具有服务器权限的运维人员在服务器上用命令 gongkai user create 创建账号（机关以机关编号或统一社会信用代码指定，用法见 gongkai --help）',
  )
  const token = randomBytes(32).toString('base64url')
  const passwordHash = await hash(randomBytes(32).toString('base64url'))
  return deps.db.transaction().execute(async (trx) => {
    const { temporaryPasswordHours: hours } = await readSecurityPolicy(trx)
    const now = deps.clock.now()
    const expiresAt = new Date(now.getTime() + hours * 3_600_000).toISOString()
    const to = maskAddress(input.email)
    const id = await insertAccount(
      deps,
      trx,
      actor,
      input,
      authority,
      { passwordHash, expiresAt },
      {
        firstPassword: 'mail_link',
        to,
        expiresAt,
      },
    )
    const recipientEnc = deps.fields.encrypt(input.email, `users:${id}:email`)
    await updateUser(trx, id, { email_enc: recipientEnc })
    await insertPasswordReset(trx, {
      user_id: id,
      token_hash: sm3Hex(token),
      expires_at: expiresAt,
      used_at: null,
      created_by: actor.id,
      created_at: now.toISOString(),
    })
    const text = [
      `${input.displayName}，您好：`,
      '',
      `系统管理员已为您在政府信息公开平台创建账号（用户名 ${input.username.toLowerCase()}）。请在 ${hours} 小时内打开以下链接，自行设置登录密码（链接只能使用一次）：`,
      '',
      resetLink(publicUrl, token),
      '',
      '密码只有您本人知道，系统管理员看不到。链接过期后，请联系系统管理员重新发送。',
      '如您并未在本单位使用该平台，请忽略本邮件并告知安全管理员。',
      '本邮件由系统自动发送，请勿直接回复。',
    ].join('\n')
    await queueStaffMail(deps, trx, { userId: id, recipientEnc, kind: setupMailKind, text })
    return { id, to, hours }
  })
}
