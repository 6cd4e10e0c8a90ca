import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Deps } from '../deps.ts'
import { spendOnce } from '../security/shared-counters.ts'

// A self-hosted proof-of-work for the public application form (no third-party CAPTCHA): the page
// carries a challenge signed by the server; the browser finds a nonce whose SHA-256 with the
// challenge starts with `bits` zero bits (public/pow.js) and sends it with the form. A challenge is
// good for two hours and once only, on every process (spent challenges are kept in the database).
// Without JavaScript there is no nonce: the route then applies a tighter per-address limit and
// flags the application for a look.

const lifetimeMs = 2 * 3600_000
export const defaultBits = 16

export function issueChallenge(key: Buffer, now: Date, bits = defaultBits): string {
  const body = `${bits}.${now.getTime()}.${randomBytes(12).toString('base64url')}`
  return `${body}.${createHmac('sha256', key).update(`pow\n${body}`).digest('base64url')}`
}

const leadingZeroBits = (hash: Buffer) => {
  let n = 0
  for (const byte of hash) {
    if (byte === 0) {
      n += 8
      continue
    }
    n += Math.clz32(byte) - 24
    break
  }
  return n
}

export type PowVerdict = 'ok' | 'missing' | 'invalid' | 'expired' | 'reused'

/**
 * Checks a challenge and its nonce, and spends the challenge: it is marked used in the database
 * until it expires, so that a challenge spent on one process is refused on every other (issue #14).
 */
export async function verifyProofOfWork(
  deps: Deps,
  challenge: string | undefined,
  nonce: string | undefined,
): Promise<PowVerdict> {
  if (!challenge || !nonce) return 'missing'
  const parts = challenge.split('.')
  if (parts.length !== 4 || nonce.length > 32) return 'invalid'
  const [bits, issued, , mac] = parts as [string, string, string, string]
  const expected = createHmac('sha256', deps.keys.session)
    .update(`pow\n${parts.slice(0, 3).join('.')}`)
    .digest()
  const given = Buffer.from(mac, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid'
  const age = deps.clock.now().getTime() - Number(issued)
  if (!(age >= 0 && age <= lifetimeMs)) return 'expired'
  if (leadingZeroBits(createHash('sha256').update(`${challenge}:${nonce}`).digest()) < Number(bits)) return 'invalid'
  const spent = `pow:${createHash('sha256').update(challenge).digest('base64url')}`
  return (await spendOnce(deps, spent, Number(issued) + lifetimeMs)) ? 'ok' : 'reused'
}

/** Solves a challenge the way the browser does; for tests and the benchmark's clients. */
export function solveChallenge(challenge: string): string {
  const bits = Number(challenge.split('.')[0])
  for (let n = 0; ; n++) {
    if (leadingZeroBits(createHash('sha256').update(`${challenge}:${n}`).digest()) >= bits) return String(n)
  }
}
