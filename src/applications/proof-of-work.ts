import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

// A self-hosted proof-of-work for the public application form (no third-party CAPTCHA): the page
// carries a challenge signed by the server; the browser finds a nonce whose SHA-256 with the
// challenge starts with `bits` zero bits (public/pow.js) and sends it with the form. A challenge is
// good for two hours and once only. Without JavaScript there is no nonce: the route then applies a
// tighter per-address limit and flags the application for a look.

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

export class ProofOfWork {
  private readonly used = new Map<string, number>()
  constructor(private readonly key: Buffer) {}

  verify(challenge: string | undefined, nonce: string | undefined, now: Date): PowVerdict {
    if (!challenge || !nonce) return 'missing'
    const parts = challenge.split('.')
    if (parts.length !== 4 || nonce.length > 32) return 'invalid'
    const [bits, issued, , mac] = parts as [string, string, string, string]
    const expected = createHmac('sha256', this.key)
      .update(`pow\n${parts.slice(0, 3).join('.')}`)
      .digest()
    const given = Buffer.from(mac, 'base64url')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid'
    const age = now.getTime() - Number(issued)
    if (!(age >= 0 && age <= lifetimeMs)) return 'expired'
    if (leadingZeroBits(createHash('sha256').update(`${challenge}:${nonce}`).digest()) < Number(bits)) return 'invalid'
    for (const [c, at] of this.used) if (now.getTime() - at > lifetimeMs) this.used.delete(c)
    if (this.used.has(challenge)) return 'reused'
    this.used.set(challenge, now.getTime())
    return 'ok'
  }
}

/** Solves a challenge the way the browser does; for tests and the benchmark's clients. */
export function solveChallenge(challenge: string): string {
  const bits = Number(challenge.split('.')[0])
  for (let n = 0; ; n++) {
    if (leadingZeroBits(createHash('sha256').update(`${challenge}:${n}`).digest()) >= bits) return String(n)
  }
}

/** A fixed-window counter per address: the tighter limit for submissions without the proof of work. */
export class AddressLimit {
  private readonly hits = new Map<string, { start: number; count: number }>()
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}
  take(address: string, now: number): boolean {
    const h = this.hits.get(address)
    if (!h || now - h.start > this.windowMs) {
      if (this.hits.size > 10_000) this.hits.clear()
      this.hits.set(address, { start: now, count: 1 })
      return true
    }
    h.count++
    return h.count <= this.max
  }
}
