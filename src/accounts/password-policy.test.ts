import { expect, test } from 'vitest'
import { defaultSecurityPolicy, passwordProblems } from './password-policy.ts'

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
