import { randomBytes } from 'node:crypto'
import { expect, test } from 'vitest'
import { FieldCipher, selfTestCrypto } from './crypto.ts'

test('the SM3/SM4 known-answer self-test passes on this Node', () => {
  expect(() => selfTestCrypto()).not.toThrow()
})

test('an encrypted field decrypts only in the place it was made for', () => {
  const cipher = new FieldCipher(randomBytes(32))
  const stored = cipher.encrypt('500231199001011234', 'applications:7:id_number')
  expect(stored).not.toContain('500231')
  expect(cipher.decrypt(stored, 'applications:7:id_number')).toBe('500231199001011234')
  expect(() => cipher.decrypt(stored, 'applications:8:id_number')).toThrow(/integrity/)
})

test('flipping one byte of an encrypted field is detected', () => {
  const cipher = new FieldCipher(randomBytes(32))
  const stored = cipher.encrypt('13800138000', 'users:1:phone')
  const raw = Buffer.from(stored.slice(3), 'base64url')
  raw[20] = (raw[20] as number) ^ 1
  expect(() => cipher.decrypt(`v1.${raw.toString('base64url')}`, 'users:1:phone')).toThrow(/integrity/)
})
