import { expect, test } from 'vitest'
import { isValidCreditCode } from './credit-code.ts'

test('real 统一社会信用代码 pass the GB 32100 check', () => {
  for (const code of ['914403001922038216', '9144030071526726XG', '91330100716105852F'])
    expect(isValidCreditCode(code)).toBe(true)
})

test('an altered check character, a forbidden letter or a wrong length is refused', () => {
  expect(isValidCreditCode('914403001922038217')).toBe(false)
  expect(isValidCreditCode('9144030071526726XI')).toBe(false)
  expect(isValidCreditCode('91440300192203821')).toBe(false)
})
