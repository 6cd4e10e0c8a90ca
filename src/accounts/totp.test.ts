import { expect, test } from 'vitest'
import { base32Decode, base32Encode, hotp, matchTotp, stepOf } from './totp.ts'

// RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const rfcSecret = base32Encode(Buffer.from('12345678901234567890'))

test('codes match the RFC 6238 test vectors (last six digits)', () => {
  expect(hotp(rfcSecret, stepOf(new Date(59_000)))).toBe('287082')
  expect(hotp(rfcSecret, stepOf(new Date(1_111_111_109_000)))).toBe('081804')
  expect(hotp(rfcSecret, stepOf(new Date(2_000_000_000_000)))).toBe('279037')
})

test('a code from the previous or next 30-second step is accepted, one two steps away is not', () => {
  const at = new Date('2026-03-02T02:00:10Z')
  const step = stepOf(at)
  expect(matchTotp(rfcSecret, hotp(rfcSecret, step - 1), at, null)).toBe(step - 1)
  expect(matchTotp(rfcSecret, hotp(rfcSecret, step + 1), at, null)).toBe(step + 1)
  expect(matchTotp(rfcSecret, hotp(rfcSecret, step - 2), at, null)).toBeUndefined()
})

test('a code already used cannot be used again inside its window', () => {
  const at = new Date('2026-03-02T02:00:10Z')
  const code = hotp(rfcSecret, stepOf(at))
  const used = matchTotp(rfcSecret, code, at, null)
  expect(used).toBe(stepOf(at))
  expect(matchTotp(rfcSecret, code, at, used ?? null)).toBeUndefined()
})

test('base32 round-trips the seed bytes', () => {
  const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255, 17])
  expect(base32Decode(base32Encode(bytes))).toEqual(bytes)
})
