import { expect, test } from 'vitest'
import { commonPasswords, defaultSecurityPolicy, passwordProblems } from './password-policy.ts'

const dengbao = defaultSecurityPolicy
const asvs = { ...defaultSecurityPolicy, profile: 'asvs' as const }

test('the default (等保) policy rejects a password shorter than 12 characters', () => {
  expect(passwordProblems(dengbao, 'Ab3#efgh')).toContain('密码至少 12 个字符')
})

test('the default policy wants three of the four character classes', () => {
  expect(passwordProblems(dengbao, 'onlylowercaseletters').join()).toMatch(/至少 3 类/)
  expect(passwordProblems(dengbao, 'Lower-and-UPPER-and-dash')).toEqual([])
})

test('the ASVS profile accepts a long passphrase of one class', () => {
  expect(passwordProblems(asvs, 'correcthorsebatterystaple')).toEqual([])
})

test("common passwords and the system's own words are refused", () => {
  expect(passwordProblems(dengbao, 'Password123456').join()).toMatch(/过于常见|主体/)
  expect(passwordProblems(dengbao, 'Admin@123456').length).toBeGreaterThan(0)
  expect(passwordProblems(dengbao, 'Zhangsan#2026', ['zhangsan']).join()).toMatch(/用户名/)
})

test('Chinese characters and long passwords are accepted as typed', () => {
  expect(passwordProblems(dengbao, '政府信息公开平台的密码Ab1')).toEqual([])
  expect(passwordProblems(dengbao, `Aa1-${'x'.repeat(80)}`)).toEqual([])
})

test('the common-password list is a data file of at least 3,000 entries, and a password from deep in it is refused (issue #14)', () => {
  expect(passwordProblems(dengbao, 'Stardust-2026')).toContain('该密码过于常见，请换一个')
  expect(passwordProblems(dengbao, 'Sunflower#12345')).toContain('该密码过于常见，请换一个')
  expect(commonPasswords.size).toBeGreaterThanOrEqual(3000)
  // Entries from the 900th to the 3,300th of the list: the old built-in list of 52 let them through.
  for (const p of ['Sunflower#1', 'Qwerty1234!!', 'Stardust-2026', 'Butterfly#88']) {
    const folded = p.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')
    expect(commonPasswords.has(folded) || commonPasswords.has(folded.replace(/\d+$/, '')), p).toBe(true)
  }
})
