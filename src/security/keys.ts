import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import type { Config } from '../config.ts'

export type Keys = Readonly<{
  session: Buffer
  audit: Buffer
  field: Buffer
  /** Where they came from; the administrators' page warns when it is 'data-dir'. */
  source: 'environment' | 'key-file' | 'data-dir'
}>

const keyText = z.string().regex(/^[0-9a-fA-F]{64}$/, '密钥必须是 64 位十六进制（32 字节）')
const keyFileSchema = z.object({ session: keyText, audit: keyText, field: keyText })

export const keyFileName = 'keys.json'

/**
 * Loads the three keys: from the environment, else from KEY_FILE, else from DATA_DIR/keys.json,
 * generated there on first start (the embedded default). Never logged; never in a backup.
 */
export function loadKeys(config: Config): Keys {
  const { session, audit, field } = config.envKeys
  if (session || audit || field) {
    const parsed = keyFileSchema.safeParse({ session, audit, field })
    if (!parsed.success) {
      throw new Error('GONGKAI_SESSION_KEY、GONGKAI_AUDIT_KEY、GONGKAI_FIELD_KEY 须同时给出，各为 64 位十六进制')
    }
    return fromHex(parsed.data, 'environment')
  }
  if (config.keyFile) {
    if (!existsSync(config.keyFile)) throw new Error(`密钥文件不存在：${config.keyFile}`)
    return fromHex(readKeyFile(config.keyFile), 'key-file')
  }
  const file = path.join(config.dataDir, keyFileName)
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true })
    const fresh = { session: hex(), audit: hex(), field: hex() }
    writeFileSync(file, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600, flag: 'wx' })
    chmodSync(file, 0o600)
  }
  return fromHex(readKeyFile(file), 'data-dir')
}

const hex = () => randomBytes(32).toString('hex')

function readKeyFile(file: string) {
  const parsed = keyFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')))
  if (!parsed.success) throw new Error(`密钥文件格式不正确：${file}`)
  return parsed.data
}

function fromHex(k: z.infer<typeof keyFileSchema>, source: Keys['source']): Keys {
  return Object.freeze({
    session: Buffer.from(k.session, 'hex'),
    audit: Buffer.from(k.audit, 'hex'),
    field: Buffer.from(k.field, 'hex'),
    source,
  })
}

/** The keys a backup depends on, with the names an operator knows them by. */
const checkedKeys = { session: 'GONGKAI_SESSION_KEY', audit: 'GONGKAI_AUDIT_KEY', field: 'GONGKAI_FIELD_KEY' } as const
export type KeyCheck = Record<keyof typeof checkedKeys, string>

/**
 * A key check value of each key (an HMAC-SM3 of a fixed text, cut to 16 bytes): it tells whether
 * the keys at hand are the ones a backup was made with, and says nothing about the keys themselves.
 */
export function keyCheckValues(keys: Keys): KeyCheck {
  const kcv = (key: Buffer) =>
    createHmac('sm3', key).update('gongkai key check v1').digest().subarray(0, 16).toString('hex')
  return { session: kcv(keys.session), audit: kcv(keys.audit), field: kcv(keys.field) }
}

/** The names of the keys that differ from the check values recorded with a backup; empty when all match. */
export function keysNotMatching(keys: Keys, recorded: KeyCheck): string[] {
  const now = keyCheckValues(keys)
  return (Object.keys(checkedKeys) as (keyof typeof checkedKeys)[])
    .filter((k) => {
      const a = Buffer.from(now[k], 'hex')
      const b = Buffer.from(recorded[k], 'hex')
      return a.length !== b.length || !timingSafeEqual(a, b)
    })
    .map((k) => checkedKeys[k])
}
