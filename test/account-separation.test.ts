import { describe, expect, test } from 'vitest'
import { assignRoles, setAccountDisabled } from '../src/accounts/account.service.ts'
import { systemActor } from '../src/audit/audit.ts'
import { searchAudit } from '../src/audit/audit.service.ts'
import { AppError } from '../src/errors.ts'
import { buildStaff, form, signIn } from './support/builders.ts'
import { testApp } from './support/app.ts'
import { databaseKinds } from './support/test-deps.ts'

// Issue #14, 三员分立 (GB/T 22239-2019 §8.1.4.2 c, §8.1.5): the administrators' powers stay apart,
// the last 安全管理员 and 审计管理员 stay, and a security policy below the level-3 baseline says so.

const formHeaders = (cookie: string) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' })
const refusal = (e: unknown) => (e instanceof AppError ? e.message : String(e))

const policyValues = {
  profile: 'dengbao',
  minLength: '12',
  minClasses: '3',
  maxAgeDays: '90',
  historyCount: '5',
  lockoutThreshold: '5',
  lockoutMinutes: '15',
  idleMinutes: '30',
  adminIdleMinutes: '15',
  absoluteHours: '12',
  temporaryPasswordHours: '72',
  totpForAdmins: 'on',
}

describe.each(databaseKinds)('三员分立 on %s', (kind) => {
  test('the last active 审计管理员 or 安全管理员 cannot be disabled or lose the role: refused in Chinese, nothing changes', async () => {
    const t = await testApp(kind)
    try {
      const sys = await buildStaff(t.deps, { roles: ['sysadmin'] })
      const sec = await buildStaff(t.deps, { roles: ['secadmin'] })
      const audit = await buildStaff(t.deps, { roles: ['auditadmin'] })
      const actor = { ...systemActor(), id: sys.id }

      const disable = await setAccountDisabled(t.deps, actor, audit.id, true).catch(refusal)
      expect(disable).toMatch(/这是唯一在用的审计管理员，不能停用/)
      const strip = await assignRoles(t.deps, { ...systemActor(), id: sec.id }, audit.id, []).catch(refusal)
      expect(strip).toMatch(/这是唯一在用的审计管理员，不能撤销其角色/)
      expect(await setAccountDisabled(t.deps, actor, sec.id, true).catch(refusal)).toMatch(/唯一在用的安全管理员/)

      // Over the web the 系统管理员 sees the refusal on the accounts page.
      const s = await signIn(t.app, sys)
      const res = await t.app.inject({
        method: 'POST',
        url: `/console/accounts/${audit.id}/disable`,
        headers: formHeaders(s.cookie),
        payload: form({ _csrf: s.csrf }),
      })
      expect(res.statusCode).toBe(422)
      expect(res.body).toContain('这是唯一在用的审计管理员，不能停用')
      const rows = await t.deps.db.selectFrom('users').select(['id', 'disabled']).execute()
      expect(rows.every((r) => r.disabled === 0)).toBe(true)
      expect(await t.deps.db.selectFrom('user_roles').select('role').where('user_id', '=', audit.id).execute()).toEqual(
        [{ role: 'auditadmin' }],
      )

      // With a second 审计管理员 the first may go.
      const second = await buildStaff(t.deps, { roles: ['auditadmin'] })
      await setAccountDisabled(t.deps, actor, audit.id, true)
      expect(await setAccountDisabled(t.deps, actor, second.id, true).catch(refusal)).toMatch(/唯一在用的审计管理员/)
    } finally {
      await t.close()
    }
  })

  test('a security policy below the 等保 level-3 baseline needs a reason, kept in the audit log, and is labelled 低于等保三级基线', async () => {
    const t = await testApp(kind)
    try {
      const sec = await buildStaff(t.deps, { roles: ['secadmin'] })
      const s = await signIn(t.app, sec)
      const weak = { ...policyValues, minClasses: '2', maxAgeDays: '0' }
      const refused = await t.app.inject({
        method: 'POST',
        url: '/console/security',
        headers: formHeaders(s.cookie),
        payload: form({ _csrf: s.csrf, ...weak }),
      })
      expect(refused.statusCode).toBe(422)
      expect(refused.body).toContain('低于等保三级基线')
      expect(refused.body).toContain('须填写偏离理由')
      expect(
        (await t.deps.db.selectFrom('settings').select('key').where('key', '=', 'security_policy').execute()).length,
      ).toBe(0)

      const reason = '本单位内网终端统一使用智能密码钥匙登录，经测评机构认可'
      const saved = await t.app.inject({
        method: 'POST',
        url: '/console/security',
        headers: formHeaders(s.cookie),
        payload: form({ _csrf: s.csrf, ...weak, deviationReason: reason }),
      })
      expect(saved.statusCode).toBe(303)
      const entry = (await searchAudit(t.deps, { action: 'security_policy.update' }, 1))[0]!
      expect(JSON.stringify(entry)).toContain(reason)
      const page = await t.app.inject({ url: '/console/security', headers: { cookie: s.cookie } })
      expect(page.body).toContain('低于等保三级基线')
      expect(page.body).toContain('字符类别少于 3 类')
      expect(page.body).toContain('密码不过期')
      const home = await t.app.inject({ url: '/console', headers: { cookie: s.cookie } })
      expect(home.body).toContain('低于等保三级基线')

      // Back at the baseline: no label, no reason kept.
      await t.app.inject({
        method: 'POST',
        url: '/console/security',
        headers: formHeaders(s.cookie),
        payload: form({ _csrf: s.csrf, ...policyValues, deviationReason: reason }),
      })
      expect((await t.app.inject({ url: '/console', headers: { cookie: s.cookie } })).body).not.toContain(
        '低于等保三级基线',
      )
    } finally {
      await t.close()
    }
  })

  test('with "business accounts must use TOTP" set, a business account without TOTP is sent to enrol before anything else', async () => {
    const t = await testApp(kind)
    try {
      const sec = await buildStaff(t.deps, { roles: ['secadmin'] })
      const drafter = await buildStaff(t.deps, { roles: ['drafter'], totp: false })
      const s = await signIn(t.app, sec)
      const saved = await t.app.inject({
        method: 'POST',
        url: '/console/security',
        headers: formHeaders(s.cookie),
        payload: form({ _csrf: s.csrf, ...policyValues, totpForAllStaff: 'on' }),
      })
      expect(saved.statusCode).toBe(303)
      const d = await signIn(t.app, drafter)
      for (const url of ['/console', '/console/items', '/console/applications'])
        expect((await t.app.inject({ url, headers: { cookie: d.cookie } })).headers.location, url).toBe('/console/totp')
      const page = await t.app.inject({ url: '/console/totp', headers: { cookie: d.cookie } })
      expect(page.body).toContain('按照安全策略，您的账号须绑定动态验证码后才能继续使用')
    } finally {
      await t.close()
    }
  })
})
