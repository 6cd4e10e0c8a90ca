import { createHmac, randomBytes } from 'node:crypto'

// TOTP (RFC 6238 over HOTP, RFC 4226): 30-second steps, six digits, HMAC-SHA1, the algorithm every
// phone authenticator speaks. It is not the SM3-based OTP of GM/T 0021, so it does not by itself
// satisfy 密评 §8.4a (security-and-reliability.md §4.3).

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

export function base32Encode(bytes: Buffer): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31]
  return out
}

export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=]/g, '')
  let bits = 0
  let value = 0
  const out: number[] = []
  for (const ch of clean) {
    const index = alphabet.indexOf(ch)
    if (index < 0) throw new Error('invalid base32')
    value = (value << 5) | index
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

/** A new 160-bit seed from the CSPRNG (AUTH-05), in base32. */
export const newTotpSecret = (): string => base32Encode(randomBytes(20))

export const stepOf = (at: Date): number => Math.floor(at.getTime() / 30_000)

export function hotp(secret: string, counter: number): string {
  const msg = Buffer.alloc(8)
  msg.writeBigUInt64BE(BigInt(counter))
  const mac = createHmac('sha1', base32Decode(secret)).update(msg).digest()
  const offset = (mac[mac.length - 1] as number) & 0x0f
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000
  return code.toString().padStart(6, '0')
}

/**
 * The step a code belongs to, within ±1 step of now, or undefined. A step at or before
 * `lastUsedStep` is refused, so a code cannot be replayed inside its window (AUTH-05).
 */
export function matchTotp(secret: string, code: string, at: Date, lastUsedStep: number | null): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined
  const now = stepOf(at)
  for (const step of [now - 1, now, now + 1]) {
    if (lastUsedStep !== null && step <= lastUsedStep) continue
    if (hotp(secret, step) === code) return step
  }
  return undefined
}

export function otpauthUri(secret: string, account: string, issuer = 'Gongkai 政府信息公开平台'): string {
  const label = encodeURIComponent(`${issuer}:${account}`)
  return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`
}
