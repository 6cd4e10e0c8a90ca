import { describe, expect, test } from 'vitest'
import { assignRoles, createAccount, setAccountDisabled, unlockAccount } from '../src/accounts/account.service.ts'
import { findUserById } from '../src/accounts/account.store.ts'
import { changeOwnPassword } from '../src/accounts/credentials.service.ts'
import { completeTotpLogin, login, resolveSession } from '../src/accounts/login.service.ts'
import { systemActor } from '../src/audit/audit.ts'
import { searchAudit } from '../src/audit/audit.service.ts'
import { AppError } from '../src/errors.ts'
import { currentCode, buildStaff, setUpRegion } from './support/builders.ts'
import { databaseKinds, testEnv } from './support/test-deps.ts'

const client = { ip: '10.1.2.3', userAgent: 'test' }

describe.each(databaseKinds)('accounts on %s', (kind) => {
  test('five wrong passwords lock the account for 15 minutes; the right password is then refused too, in the words an unknown user gets', async () => {
    const t = await testEnv(kind)
    try {
      const staff = await buildStaff(t.deps, { roles: ['drafter'] })
      const unknown = await login(t.deps, 'nobody-here', 'wrong-Password-1', client)
      for (let i = 0; i < 4; i++)
        expect((await login(t.deps, staff.username, 'wrong-Password-1', client)).ok).toBe(false)
      const fifth = await login(t.deps, staff.username, 'wrong-Password-1', client)
      // The lock is not announced to whoever guessed: the answer is the unknown user's (issue #14).
      expect(fifth).toEqual(unknown)
      expect((await findUserById(t.deps.db, staff.id))?.locked_until).not.toBeNull()
      const locked = await login(t.deps, staff.username, staff.password, client)
      expect(locked).toEqual(unknown)
      if (!locked.ok) expect(locked.message).toMatch(/用户名或密码错误.*锁定/)
      t.clock.advanceMinutes(16)
      expect((await login(t.deps, staff.username, staff.password, client)).ok).toBe(true)
      const audit = await searchAudit(t.deps, { action: 'account.lock' }, 1)
      expect(audit).toHaveLength(1)
    } finally {
      await t.close()
    }
  })

  test('the 安全管理员 can unlock a locked account at once', async () => {
    const t = await testEnv(kind)
    try {
      const staff = await buildStaff(t.deps, { roles: ['handler'] })
      for (let i = 0; i < 5; i++) await login(t.deps, staff.username, 'nope-Nope-1234', client)
      expect((await login(t.deps, staff.username, staff.password, client)).ok).toBe(false)
      await unlockAccount(t.deps, systemActor(), staff.id)
      expect((await login(t.deps, staff.username, staff.password, client)).ok).toBe(true)
    } finally {
      await t.close()
    }
  })

  test('an idle session ends after 30 minutes (15 for administrators) and the old cookie no longer works', async () => {
    const t = await testEnv(kind)
    try {
      const staff = await buildStaff(t.deps, { roles: ['drafter'] })
      const outcome = await login(t.deps, staff.username, staff.password, client)
      if (!outcome.ok) throw new Error(outcome.message)
      t.clock.advanceMinutes(29)
      expect((await resolveSession(t.deps, outcome.token, client.ip)).state).toBe('full')
      t.clock.advanceMinutes(29) // active 29 minutes ago: still fine
      expect((await resolveSession(t.deps, outcome.token, client.ip)).state).toBe('full')
      t.clock.advanceMinutes(31)
      expect((await resolveSession(t.deps, outcome.token, client.ip)).state).toBe('expired')
      expect((await resolveSession(t.deps, outcome.token, client.ip)).state).toBe('none')

      const admin = await buildStaff(t.deps, { roles: ['auditadmin'] })
      const first = await login(t.deps, admin.username, admin.password, client)
      if (!first.ok) throw new Error(first.message)
      const second = await completeTotpLogin(t.deps, first.token, currentCode(t.deps, admin.totpSecret!), client)
      if (!second.ok) throw new Error(second.message)
      t.clock.advanceMinutes(16)
      expect((await resolveSession(t.deps, second.token, client.ip)).state).toBe('expired')
    } finally {
      await t.close()
    }
  })

  test('TOTP: the password alone opens no session; a right code does, and the same code cannot be replayed', async () => {
    const t = await testEnv(kind)
    try {
      const admin = await buildStaff(t.deps, { roles: ['secadmin'] })
      const first = await login(t.deps, admin.username, admin.password, client)
      expect(first).toMatchObject({ ok: true, stage: 'totp' })
      if (!first.ok) return
      expect((await resolveSession(t.deps, first.token, client.ip)).state).toBe('totp')
      expect((await completeTotpLogin(t.deps, first.token, '000000', client)).ok).toBe(false)
      const code = currentCode(t.deps, admin.totpSecret!)
      const second = await completeTotpLogin(t.deps, first.token, code, client)
      expect(second).toMatchObject({ ok: true, stage: 'full' })
      // The pre-TOTP session was replaced (rotation), and the code is spent.
      expect((await resolveSession(t.deps, first.token, client.ip)).state).toBe('none')
      const again = await login(t.deps, admin.username, admin.password, client)
      if (!again.ok) throw new Error(again.message)
      expect((await completeTotpLogin(t.deps, again.token, code, client)).ok).toBe(false)
    } finally {
      await t.close()
    }
  })

  test('TOTP: an account locked after its password was accepted cannot finish the login with a right code until the lock ends', async () => {
    const t = await testEnv(kind)
    try {
      const admin = await buildStaff(t.deps, { roles: ['secadmin'] })
      const unknown = await login(t.deps, 'nobody-here', 'wrong-Password-1', client)
      const first = await login(t.deps, admin.username, admin.password, client)
      if (!first.ok) throw new Error(first.message)
      // Meanwhile someone elsewhere guesses the password five times: the account locks.
      for (let i = 0; i < 5; i++) await login(t.deps, admin.username, 'wrong-Password-1', client)
      const refused = await completeTotpLogin(t.deps, first.token, currentCode(t.deps, admin.totpSecret!), client)
      expect(refused).toEqual(unknown)
      expect((await resolveSession(t.deps, first.token, client.ip)).state).toBe('totp')

      // Five wrong codes lock it too, and then the right code is refused in the same words.
      t.clock.advanceMinutes(16)
      const second = await login(t.deps, admin.username, admin.password, client)
      if (!second.ok) throw new Error(second.message)
      for (let i = 0; i < 5; i++)
        expect((await completeTotpLogin(t.deps, second.token, '000000', client)).ok).toBe(false)
      expect((await findUserById(t.deps.db, admin.id))?.locked_until).not.toBeNull()
      const code = currentCode(t.deps, admin.totpSecret!)
      expect(await completeTotpLogin(t.deps, second.token, code, client)).toEqual(unknown)

      // Once the lock has run out, the password and a right code sign in.
      t.clock.advanceMinutes(16)
      const third = await login(t.deps, admin.username, admin.password, client)
      if (!third.ok) throw new Error(third.message)
      const done = await completeTotpLogin(t.deps, third.token, currentCode(t.deps, admin.totpSecret!), client)
      expect(done).toMatchObject({ ok: true, stage: 'full' })
    } finally {
      await t.close()
    }
  })

  test('TOTP: four submissions of one code at once open exactly one session (the step is spent atomically)', async () => {
    const t = await testEnv(kind)
    try {
      const admin = await buildStaff(t.deps, { roles: ['secadmin'] })
      const tokens: string[] = []
      for (let i = 0; i < 4; i++) {
        const first = await login(t.deps, admin.username, admin.password, client)
        if (!first.ok) throw new Error(first.message)
        tokens.push(first.token)
      }
      const code = currentCode(t.deps, admin.totpSecret!)
      const outcomes = await Promise.all(tokens.map((token) => completeTotpLogin(t.deps, token, code, client)))
      const opened = outcomes.filter((o) => o.ok)
      expect(opened).toHaveLength(1)
      // The others are refused as a wrong code would be, and their pre-TOTP sessions open nothing.
      expect(outcomes.filter((o) => !o.ok)).toHaveLength(3)
      for (const o of opened) if (o.ok) expect((await resolveSession(t.deps, o.token, client.ip)).state).toBe('full')
    } finally {
      await t.close()
    }
  })

  test('a password older than 90 days must be changed before anything else', async () => {
    const t = await testEnv(kind)
    try {
      const staff = await buildStaff(t.deps, { roles: ['drafter'] })
      t.clock.advanceDays(91)
      const outcome = await login(t.deps, staff.username, staff.password, client)
      if (!outcome.ok) throw new Error(outcome.message)
      const view = await resolveSession(t.deps, outcome.token, client.ip)
      expect(view.state === 'full' && view.user.mustChangePassword).toBe(true)
      if (view.state !== 'full') return
      await changeOwnPassword(
        t.deps,
        { ...systemActor(), id: staff.id },
        view.sessionId,
        staff.password,
        'Fresh-Password#91',
      )
      const after = await resolveSession(t.deps, outcome.token, client.ip)
      expect(after.state === 'full' && after.user.mustChangePassword).toBe(false)
    } finally {
      await t.close()
    }
  })

  test('a new password may not repeat one of the last five', async () => {
    const t = await testEnv(kind)
    try {
      const staff = await buildStaff(t.deps, { roles: ['drafter'] })
      const actor = { ...systemActor(), id: staff.id }
      await changeOwnPassword(t.deps, actor, 'x', staff.password, 'Second-Password#2')
      await expect(changeOwnPassword(t.deps, actor, 'x', 'Second-Password#2', staff.password)).rejects.toThrow(
        /最近 5 次/,
      )
      const user = await findUserById(t.deps.db, staff.id)
      expect(user?.password_temporary).toBe(0)
    } finally {
      await t.close()
    }
  })

  test('an initial password expires unused after 72 hours', async () => {
    const t = await testEnv(kind)
    try {
      const { officeId } = await setUpRegion(t.deps)
      const { temporaryPassword } = await createAccount(
        t.deps,
        systemActor(),
        { agencyId: officeId, username: 'late.user', displayName: '迟到' },
        'operator',
      )
      t.clock.advanceDays(3)
      t.clock.advanceMinutes(1)
      const outcome = await login(t.deps, 'late.user', temporaryPassword, client)
      expect(outcome).toEqual({ ok: false, message: '初始密码已过期，请联系系统管理员重新设置' })
    } finally {
      await t.close()
    }
  })

  test('no account holds two administrator roles, nor an administrator role with a business role', async () => {
    const t = await testEnv(kind)
    try {
      const staff = await buildStaff(t.deps, { roles: ['drafter'] })
      const sec = await buildStaff(t.deps, { roles: ['secadmin'] })
      const actor = { ...systemActor('安全管理员'), id: sec.id }
      await expect(
        assignRoles(t.deps, actor, staff.id, [
          { role: 'sysadmin', reviewLevel: null },
          { role: 'auditadmin', reviewLevel: null },
        ]),
      ).rejects.toThrow(/三员分立/)
      await expect(
        assignRoles(t.deps, actor, staff.id, [
          { role: 'auditadmin', reviewLevel: null },
          { role: 'drafter', reviewLevel: null },
        ]),
      ).rejects.toThrow(/不得兼任业务角色/)
      // The same role named twice (a tampered form) is refused as bad input, not a failed insert.
      const twice = assignRoles(t.deps, actor, staff.id, [
        { role: 'reviewer', reviewLevel: 1 },
        { role: 'reviewer', reviewLevel: 2 },
      ])
      await expect(twice).rejects.toThrow(/同一角色只能授予一次/)
      await expect(twice).rejects.toMatchObject({ code: 'invalid_input' })
      await assignRoles(t.deps, actor, staff.id, [
        { role: 'reviewer', reviewLevel: 2 },
        { role: 'drafter', reviewLevel: null },
      ])
    } finally {
      await t.close()
    }
  })

  test('the 系统管理员 may create the first 安全管理员, but no roles once one exists', async () => {
    const t = await testEnv(kind)
    try {
      const { officeId } = await setUpRegion(t.deps)
      const sys = systemActor('系统管理员')
      await createAccount(
        t.deps,
        sys,
        {
          agencyId: officeId,
          username: 'audit1',
          displayName: '审计',
          roles: [{ role: 'auditadmin', reviewLevel: null }],
        },
        'bootstrap',
      )
      await createAccount(
        t.deps,
        sys,
        { agencyId: officeId, username: 'sec1', displayName: '安全', roles: [{ role: 'secadmin', reviewLevel: null }] },
        'bootstrap',
      )
      const again = createAccount(
        t.deps,
        sys,
        {
          agencyId: officeId,
          username: 'sec2',
          displayName: '安全二',
          roles: [{ role: 'secadmin', reviewLevel: null }],
        },
        'bootstrap',
      )
      await expect(again).rejects.toBeInstanceOf(AppError)
      await expect(
        createAccount(
          t.deps,
          sys,
          {
            agencyId: officeId,
            username: 'drafter9',
            displayName: '起草',
            roles: [{ role: 'drafter', reviewLevel: null }],
          },
          'bootstrap',
        ),
      ).rejects.toThrow(/安全管理员分配/)
    } finally {
      await t.close()
    }
  })

  test('disabling an account ends its sessions at once', async () => {
    const t = await testEnv(kind)
    try {
      const staff = await buildStaff(t.deps, { roles: ['publisher'] })
      const outcome = await login(t.deps, staff.username, staff.password, client)
      if (!outcome.ok) throw new Error(outcome.message)
      await setAccountDisabled(t.deps, systemActor(), staff.id, true)
      expect((await resolveSession(t.deps, outcome.token, client.ip)).state).toBe('none')
      expect((await login(t.deps, staff.username, staff.password, client)).ok).toBe(false)
    } finally {
      await t.close()
    }
  })
})
