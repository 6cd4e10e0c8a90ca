import { existsSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'

// The environment is parsed once into a frozen object; a bad value stops the start with a list of
// what is wrong (STYLE.md §7).
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL 必须以 postgres:// 开头（留空则使用内置 SQLite）')
    .optional(),
  KEY_FILE: z.string().optional(),
  GONGKAI_SESSION_KEY: z.string().optional(),
  GONGKAI_AUDIT_KEY: z.string().optional(),
  GONGKAI_FIELD_KEY: z.string().optional(),
  SECURE_COOKIES: z.enum(['auto', 'true', 'false']).default('auto'),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  MALWARE_SCAN_COMMAND: z.string().optional(),
  APPLY_PROOF_OF_WORK: z.enum(['on', 'off']).default('on'),
  APPLY_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
})

export type Config = Readonly<{
  port: number
  host: string
  dataDir: string
  databaseUrl: string | undefined
  keyFile: string | undefined
  envKeys: Readonly<{ session?: string; audit?: string; field?: string }>
  secureCookies: boolean
  trustProxy: boolean
  logLevel: z.infer<typeof schema>['LOG_LEVEL']
  /** The malware scanner run on every upload, given the file's path (files/malware-scan.ts). */
  malwareScanCommand: string | undefined
  /** The application form's proof of work and per-address limits (off only for load tests on loopback). */
  applyProofOfWork: boolean
  applyRateLimitPerHour: number
  production: boolean
}>

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  if (env === process.env && existsSync('.env')) process.loadEnvFile('.env')
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`配置有误，无法启动：\n${lines.join('\n')}`)
  }
  const e = parsed.data
  const production = e.NODE_ENV === 'production'
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    keyFile: e.KEY_FILE ? path.resolve(e.KEY_FILE) : undefined,
    envKeys: Object.freeze({ session: e.GONGKAI_SESSION_KEY, audit: e.GONGKAI_AUDIT_KEY, field: e.GONGKAI_FIELD_KEY }),
    secureCookies: e.SECURE_COOKIES === 'auto' ? production : e.SECURE_COOKIES === 'true',
    trustProxy: e.TRUST_PROXY === 'true',
    logLevel: e.LOG_LEVEL,
    malwareScanCommand: e.MALWARE_SCAN_COMMAND?.trim() || undefined,
    applyProofOfWork: e.APPLY_PROOF_OF_WORK === 'on',
    applyRateLimitPerHour: e.APPLY_RATE_LIMIT,
    production,
  })
}
