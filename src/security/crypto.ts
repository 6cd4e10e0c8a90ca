import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  randomFillSync,
  timingSafeEqual,
} from 'node:crypto'

// 国密 primitives from Node's OpenSSL (security-and-reliability.md §4.2): SM3, HMAC-SM3, SM4-CBC.
// SM4 has no AEAD mode here, so fields are encrypt-then-MAC (CRY-02).

export const sm3Hex = (data: string | Buffer): string => createHash('sm3').update(data).digest('hex')

export const hmacSm3 = (key: Buffer, data: string | Buffer): Buffer => createHmac('sm3', key).update(data).digest()

export function equalBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

// IVs come from the CSPRNG in blocks of 256: one call per 256 encryptions instead of one each (a
// submission encrypts six fields; the call was 4–5 % of the server's CPU, `npm run bench -- requests`).
// Each IV is copied out and its bytes are never handed out twice.
const ivPool = Buffer.alloc(16 * 256)
let ivNext = ivPool.length
function freshIv(): Buffer {
  if (ivNext === ivPool.length) {
    randomFillSync(ivPool)
    ivNext = 0
  }
  const iv = Buffer.from(ivPool.subarray(ivNext, ivNext + 16))
  ivNext += 16
  return iv
}

const fileMarker = Buffer.from('GKENC1\n', 'latin1')
/** Whether stored bytes are an encrypted file (FieldCipher.encryptBytes) rather than a file kept as sent. */
export const isEncryptedFile = (bytes: Buffer) => bytes.subarray(0, fileMarker.length).equals(fileMarker)

/** Encrypts one field value so that it only decrypts in the place (table, row, column) it was made for. */
export class FieldCipher {
  private readonly encKey: Buffer
  private readonly macKey: Buffer
  private readonly blindKey: Buffer
  constructor(master: Buffer) {
    this.encKey = Buffer.from(hkdfSync('sm3', master, Buffer.alloc(0), 'gongkai field enc v1', 16))
    this.macKey = Buffer.from(hkdfSync('sm3', master, Buffer.alloc(0), 'gongkai field mac v1', 32))
    this.blindKey = Buffer.from(hkdfSync('sm3', master, Buffer.alloc(0), 'gongkai field blind index v1', 32))
  }

  encrypt(plain: string, aad: string): string {
    const iv = freshIv()
    const cipher = createCipheriv('sm4-cbc', this.encKey, iv)
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    const mac = hmacSm3(this.macKey, Buffer.concat([Buffer.from(`${aad}\n`, 'utf8'), iv, ct]))
    return `v1.${Buffer.concat([iv, ct, mac]).toString('base64url')}`
  }

  /** A keyed hash for finding equal values without decrypting them (the same applicant's ID number). */
  blindIndex(value: string, purpose: string): string {
    return hmacSm3(this.blindKey, `${purpose}\n${value}`).toString('base64url')
  }

  /**
   * Encrypts a file's bytes (an applicant's ID copy) the same way, bound to its place by `aad`: the stored form starts
   * with a marker no PDF, JPEG or PNG starts with, so files stored before encryption are still told apart.
   */
  encryptBytes(plain: Buffer, aad: string): Buffer {
    const iv = freshIv()
    const cipher = createCipheriv('sm4-cbc', this.encKey, iv)
    const ct = Buffer.concat([cipher.update(plain), cipher.final()])
    const mac = hmacSm3(this.macKey, Buffer.concat([Buffer.from(`${aad}\n`, 'utf8'), iv, ct]))
    return Buffer.concat([fileMarker, iv, ct, mac])
  }

  decryptBytes(stored: Buffer, aad: string): Buffer {
    if (!isEncryptedFile(stored)) throw new Error('not an encrypted file')
    const raw = stored.subarray(fileMarker.length)
    if (raw.length < 16 + 16 + 32) throw new Error('file ciphertext too short')
    const iv = raw.subarray(0, 16)
    const ct = raw.subarray(16, raw.length - 32)
    const mac = raw.subarray(raw.length - 32)
    const expected = hmacSm3(this.macKey, Buffer.concat([Buffer.from(`${aad}\n`, 'utf8'), iv, ct]))
    if (!equalBytes(mac, expected)) throw new Error('file ciphertext failed its integrity check')
    const decipher = createDecipheriv('sm4-cbc', this.encKey, iv)
    return Buffer.concat([decipher.update(ct), decipher.final()])
  }

  decrypt(stored: string, aad: string): string {
    if (!stored.startsWith('v1.')) throw new Error('unknown field ciphertext version')
    const raw = Buffer.from(stored.slice(3), 'base64url')
    if (raw.length < 16 + 16 + 32) throw new Error('field ciphertext too short')
    const iv = raw.subarray(0, 16)
    const ct = raw.subarray(16, raw.length - 32)
    const mac = raw.subarray(raw.length - 32)
    const expected = hmacSm3(this.macKey, Buffer.concat([Buffer.from(`${aad}\n`, 'utf8'), iv, ct]))
    if (!equalBytes(mac, expected)) throw new Error('field ciphertext failed its integrity check')
    const decipher = createDecipheriv('sm4-cbc', this.encKey, iv)
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8')
  }
}

/**
 * Known-answer self-test run at every start (MP-01): if an OpenSSL upgrade dropped or broke a
 * 国密 algorithm, the platform refuses to start rather than write unverifiable records.
 */
export function selfTestCrypto(): void {
  // GB/T 32905-2016 appendix A.1: SM3("abc").
  const sm3 = sm3Hex('abc')
  if (sm3 !== '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0') {
    throw new Error('SM3 自检失败：当前 Node/OpenSSL 的 SM3 结果与国标示例不符')
  }
  // GB/T 32907-2016 appendix A.1: key = plaintext = 0123456789abcdeffedcba9876543210 (one block).
  const k = Buffer.from('0123456789abcdeffedcba9876543210', 'hex')
  const ecb = createCipheriv('sm4-ecb', k, null).setAutoPadding(false)
  const out = Buffer.concat([ecb.update(k), ecb.final()]).toString('hex')
  if (out !== '681edf34d206965e86b3e94f536e4246') {
    throw new Error('SM4 自检失败：当前 Node/OpenSSL 的 SM4 结果与国标示例不符')
  }
  const probe = new FieldCipher(randomBytes(32))
  if (probe.decrypt(probe.encrypt('自检', 't:1:c'), 't:1:c') !== '自检') {
    throw new Error('SM4-CBC + HMAC-SM3 字段加密自检失败')
  }
}
