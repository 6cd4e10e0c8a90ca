import { describe, expect, test } from 'vitest'
import { login } from '../src/accounts/login.service.ts'
import { readSecurityPolicy } from '../src/settings/security-policy.service.ts'
import { listAgencies } from '../src/agencies/agency.store.ts'
import { searchAudit } from '../src/audit/audit.service.ts'
import { buildStaff, form, signIn } from './support/builders.ts'
import { testApp } from './support/app.ts'
import { databaseKinds } from './support/test-deps.ts'

const post = (cookie: string) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' })

describe.each(databaseKinds)("administrators' pages on %s", (kind) => {
  test('the 系统管理员 registers an agency; a bad credit code is answered 422 with the input kept and nothing stored', async () => {
    const t = await testApp(kind)
    try {
      const s = await signIn(t.app, await buildStaff(t.deps, { roles: ['sysadmin'] }))
      const bad = await t.app.inject({
        method: 'POST',
        url: '/console/agencies',
        headers: post(s.cookie),
        payload: form({
          _csrf: s.csrf,
          name: '垫江县司法局',
          creditCode: '11500231MB1530120X',
          level: '县级',
          kind: '政府部门',
          parentId: '',
        }),
      })
      expect(bad.statusCode).toBe(422)
      expect(bad.body).toContain('校验位不正确')
      expect(bad.body).toContain('value="垫江县司法局"')
      expect(await listAgencies(t.deps.db)).toHaveLength(1)
      const ok = await t.app.inject({
        method: 'POST',
        url: '/console/agencies',
        headers: post(s.cookie),
        payload: form({
          _csrf: s.csrf,
          name: '垫江县司法局',
          creditCode: '11500231MB1530120U',
          level: '县级',
          kind: '政府部门',
          parentId: String(t.officeId),
        }),
      })
      expect(ok.statusCode).toBe(303)
      const dup = await t.app.inject({
        method: 'POST',
        url: '/console/agencies',
        headers: post(s.cookie),
        payload: form({
          _csrf: s.csrf,
          name: '垫江县司法局',
          creditCode: '11500231MB15421303',
          level: '县级',
          kind: '政府部门',
        }),
      })
      expect(dup.statusCode).toBe(422)
      expect(dup.body).toContain('本区域已有同名机关')
      const unit = await t.app.inject({
        method: 'POST',
        url: `${ok.headers.location}/units`,
        headers: post(s.cookie),
        payload: form({ _csrf: s.csrf, name: '法制股', kind: '科室' }),
      })
      expect(unit.statusCode).toBe(303)
      expect((await t.app.inject({ url: String(ok.headers.location), headers: { cookie: s.cookie } })).body).toContain(
        '法制股（科室）',
      )
    } finally {
      await t.close()
    }
  })

  test('the 系统管理员 creates an account, whose owner is sent a link to set the password; roles come from the 安全管理员', async () => {
    // Mail configured (nothing is sent: no mail worker runs here); the link itself: account-setup.test.ts.
    const t = await testApp(kind, {
      env: { SMTP_URL: 'smtp://127.0.0.1:2525', PUBLIC_URL: 'https://gk.example.gov.cn' },
    })
    try {
      const sys = await signIn(t.app, await buildStaff(t.deps, { roles: ['sysadmin'] }))
      const res = await t.app.inject({
        method: 'POST',
        url: '/console/accounts',
        headers: post(sys.cookie),
        payload: form({
          _csrf: sys.csrf,
          agencyId: String(t.officeId),
          username: 'wang.wu',
          displayName: '王五',
          email: 'wangwu@example.cn',
        }),
      })
      expect(res.statusCode).toBe(201)
      expect(res.body).toContain('设置密码的一次性链接已发送至本人邮箱 w***@example.cn')
      const secStaff = await buildStaff(t.deps, { roles: ['secadmin'] })
      const sec = await signIn(t.app, secStaff)
      const user = (
        await t.deps.db.selectFrom('users').select('id').where('username', '=', 'wang.wu').executeTakeFirstOrThrow()
      ).id
      const both = await t.app.inject({
        method: 'POST',
        url: `/console/security/accounts/${user}/roles`,
        headers: post(sec.cookie),
        payload: form({ _csrf: sec.csrf, roles: ['sysadmin', 'drafter'], reviewLevel: '' }),
      })
      expect(both.statusCode).toBe(422)
      expect(both.body).toContain('不得兼任业务角色')
      const good = await t.app.inject({
        method: 'POST',
        url: `/console/security/accounts/${user}/roles`,
        headers: post(sec.cookie),
        payload: form({ _csrf: sec.csrf, roles: ['drafter', 'reviewer'], reviewLevel: '2' }),
      })
      expect(good.statusCode).toBe(303)
      const roles = await t.deps.db
        .selectFrom('user_roles')
        .select(['role', 'review_level'])
        .where('user_id', '=', user)
        .orderBy('role')
        .execute()
      expect(roles).toEqual([
        { role: 'drafter', review_level: null },
        { role: 'reviewer', review_level: 2 },
      ])
    } finally {
      await t.close()
    }
  })

  test('the 安全管理员 tightens the lockout; the next login failures follow the new policy', async () => {
    const t = await testApp(kind)
    try {
      const sec = await signIn(t.app, await buildStaff(t.deps, { roles: ['secadmin'] }))
      const policy = await readSecurityPolicy(t.deps.db)
      const values = Object.fromEntries(
        Object.entries({ ...policy, lockoutThreshold: 3 })
          .filter(([, v]) => v !== false)
          .map(([k, v]) => [k, v === true ? 'on' : String(v)]),
      )
      const bad = await t.app.inject({
        method: 'POST',
        url: '/console/security',
        headers: post(sec.cookie),
        payload: form({ _csrf: sec.csrf, ...values, minLength: '4' }),
      })
      expect(bad.statusCode).toBe(422)
      expect(bad.body).toContain('最短密码长度不得小于 8')
      const ok = await t.app.inject({
        method: 'POST',
        url: '/console/security',
        headers: post(sec.cookie),
        payload: form({ _csrf: sec.csrf, ...values }),
      })
      expect(ok.statusCode).toBe(303)
      expect((await readSecurityPolicy(t.deps.db)).lockoutThreshold).toBe(3)
      const staff = await buildStaff(t.deps, { roles: ['drafter'] })
      for (let i = 0; i < 3; i++)
        await login(t.deps, staff.username, 'Wrong-Password-1', { ip: '1.2.3.4', userAgent: '' })
      expect((await login(t.deps, staff.username, staff.password, { ip: '1.2.3.4', userAgent: '' })).ok).toBe(false)
      const entry = (await searchAudit(t.deps, { action: 'security_policy.update' }, 1))[0]
      expect(JSON.parse(entry!.detail)).toEqual({ lockoutThreshold: { from: 5, to: 3 } })
    } finally {
      await t.close()
    }
  })

  test('the 审计管理员 filters the audit log and exports it; reading it is itself audited', async () => {
    const t = await testApp(kind)
    try {
      const staff = await buildStaff(t.deps, { roles: ['drafter'] })
      await login(t.deps, staff.username, 'Wrong-Password-1', { ip: '9.9.9.9', userAgent: '' })
      const a = await signIn(t.app, await buildStaff(t.deps, { roles: ['auditadmin'] }))
      const page = await t.app.inject({
        url: '/console/audit?action=login&result=failure',
        headers: { cookie: a.cookie },
      })
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('9.9.9.9')
      expect(page.body).not.toContain('<td>创建账号</td>')
      const verified = await t.app.inject({ url: '/console/audit?verify=1', headers: { cookie: a.cookie } })
      expect(verified.body).toContain('审计链校验通过')
      const csv = await t.app.inject({ url: '/console/audit/export?action=login', headers: { cookie: a.cookie } })
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8')
      expect(csv.body.startsWith('\ufeff"序号"')).toBe(true)
      expect(csv.body).toContain('9.9.9.9')
      expect(await searchAudit(t.deps, { action: 'audit.export' }, 1)).toHaveLength(1)
      expect((await searchAudit(t.deps, { action: 'audit.read' }, 1)).length).toBeGreaterThan(0)
    } finally {
      await t.close()
    }
  })

  test('the audit log names events, roles and objects in Chinese, and its filter offers the events by name (issue #12)', async () => {
    const t = await testApp(kind)
    try {
      const staff = await buildStaff(t.deps, { roles: ['drafter'] })
      await login(t.deps, staff.username, 'Wrong-Password-1', { ip: '9.9.9.9', userAgent: '' })
      const a = await signIn(t.app, await buildStaff(t.deps, { roles: ['auditadmin'] }))
      const page = await t.app.inject({ url: '/console/audit', headers: { cookie: a.cookie } })
      const table = page.body.slice(page.body.indexOf('<table class="audit">'), page.body.indexOf('</table>'))
      expect(table).toContain('<td>创建账号</td>')
      expect(table).toContain('<td>审计管理员</td>')
      expect(table).toContain('账号 ')
      // No event code, role code or object type code reaches the page.
      expect(table.match(/account\.create|<td>auditadmin|>user /)?.[0]).toBeUndefined()
      expect(page.body).toContain('<option value="account.create">创建账号</option>')
      const filtered = await t.app.inject({
        url: '/console/audit?action=account.create',
        headers: { cookie: a.cookie },
      })
      expect(filtered.body).toContain('<option value="account.create" selected>创建账号</option>')
      const csv = await t.app.inject({ url: '/console/audit/export', headers: { cookie: a.cookie } })
      expect(csv.body.split('\r\n')[0]).toContain('"事件","事件代码"')
      expect(csv.body).toContain('"创建账号","account.create"')
    } finally {
      await t.close()
    }
  })
})
