import { existsSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { defaultParseLimits } from './files/parse-limits.ts'
import type { ParseLimits } from './files/parse-limits.ts'

/** An address alone or with a display name: a@b.cn, 名称 <a@b.cn>. */
const mailbox = /^(?:[^<>]*<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/

const isSmtpUrl = (value: string): boolean => {
  try {
    const url = new URL(value)
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== ''
  } catch {
    return false
  }
}

// The environment is parsed once into a frozen object; a bad value stops the start with a list of
// what is wrong (STYLE.md §7).
const schema = z
  .object({
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
    // Issue #14: a request must arrive whole within this many seconds (a 10 MB upload at 2 Mbit/s takes ~40 s), and a
    // connection that sends nothing for a third of it is closed: slow bodies cannot hold the server's sockets.
    REQUEST_TIMEOUT: z.coerce
      .number({ error: 'REQUEST_TIMEOUT 应为秒数' })
      .int('REQUEST_TIMEOUT 应为整数秒')
      .min(1, 'REQUEST_TIMEOUT 至少 1 秒')
      .default(120),
    // Issue #15: the HTML library (cheerio) is loaded a module at a time this many milliseconds after the server
    // starts listening, so that the first publication or page that needs it does not hold the server while it loads.
    PRELOAD_DELAY_MS: z.coerce
      .number({ error: 'PRELOAD_DELAY_MS 应为毫秒数' })
      .int('PRELOAD_DELAY_MS 应为整数毫秒')
      .min(0, 'PRELOAD_DELAY_MS 不能为负数')
      .default(1000),
    // Issue #15: searches by relevance that score every match (deep pages, substrings the lists cannot prove) at once
    // per database in each process, and how many more may wait; past that a search is refused (503) at once.
    SEARCH_SCORING_CONCURRENCY: z.coerce
      .number({ error: 'SEARCH_SCORING_CONCURRENCY 应为整数' })
      .int('SEARCH_SCORING_CONCURRENCY 应为整数')
      .min(1, 'SEARCH_SCORING_CONCURRENCY 至少为 1')
      .default(2),
    SEARCH_SCORING_QUEUE: z.coerce
      .number({ error: 'SEARCH_SCORING_QUEUE 应为整数' })
      .int('SEARCH_SCORING_QUEUE 应为整数')
      .min(0, 'SEARCH_SCORING_QUEUE 不能为负数')
      .default(16),
    // E-mail to the applicant (issue #11): the SMTP server, the sender, and the platform's public address that the
    // links in a message start with. Without SMTP_URL no e-mail is queued or sent.
    SMTP_URL: z
      .string()
      .optional()
      .transform((v) => v?.trim() || undefined)
      .refine((v) => v === undefined || isSmtpUrl(v), {
        message: 'SMTP_URL 格式应为 smtp://用户名:密码@主机:端口 或 smtps://用户名:密码@主机:端口（留空则不发送邮件）',
      }),
    MAIL_FROM: z
      .string()
      .optional()
      .transform((v) => v?.trim() || undefined)
      .refine((v) => v === undefined || mailbox.test(v), {
        message:
          'MAIL_FROM 应为电子邮箱地址，例如 gongkai@example.gov.cn 或 某县人民政府办公室 <gongkai@example.gov.cn>',
      }),
    PUBLIC_URL: z
      .string()
      .optional()
      .transform((v) => v?.trim().replace(/\/+$/, '') || undefined)
      .refine((v) => v === undefined || /^https?:\/\/[^/\s]+(\/\S*)?$/.test(v), {
        message: 'PUBLIC_URL 应为平台对外访问地址，以 http:// 或 https:// 开头，例如 https://gk.example.gov.cn',
      }),
    // Limits on parsing a user's file (issue #14, files/parse-limits.ts); the defaults suit every real report.
    PARSE_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(defaultParseLimits.timeoutSeconds),
    PARSE_MEMORY_MB: z.coerce.number().int().min(64).max(16384).default(defaultParseLimits.memoryMb),
    PARSE_MAX_UNCOMPRESSED_MB: z.coerce.number().int().min(1).default(defaultParseLimits.maxUncompressedMb),
    PARSE_MAX_RATIO: z.coerce.number().int().min(2).default(defaultParseLimits.maxRatio),
    PARSE_MAX_ROWS: z.coerce.number().int().min(1).default(defaultParseLimits.maxRows),
    PARSE_MAX_CELLS: z.coerce.number().int().min(1).default(defaultParseLimits.maxCells),
    PARSE_MAX_DEPTH: z.coerce.number().int().min(10).default(defaultParseLimits.maxDepth),
    PARSE_MAX_PDF_MB: z.coerce.number().int().min(1).default(defaultParseLimits.maxPdfMb),
    PARSE_MAX_PDF_PAGES: z.coerce.number().int().min(1).default(defaultParseLimits.maxPdfPages),
    PARSE_MAX_PDF_OBJECTS: z.coerce.number().int().min(100).default(defaultParseLimits.maxPdfObjects),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    NODE_ENV: z.string().default('development'),
  })
  // A message's link must reach the platform from outside, which only the operator knows.
  .refine((e) => !e.SMTP_URL || e.PUBLIC_URL, {
    path: ['PUBLIC_URL'],
    message: '设置了 SMTP_URL 时必须同时设置 PUBLIC_URL（平台对外访问地址，邮件中的查询链接以它开头）',
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
  /** A request must arrive whole within this (REQUEST_TIMEOUT seconds); idle connections close at a third of it. */
  requestTimeoutMs: number
  /** How long after the server starts listening the HTML library is preloaded (PRELOAD_DELAY_MS). */
  preloadDelayMs: number
  /** Relevance searches that score every match: at once, and waiting (search/full-scoring.ts). */
  searchScoring: Readonly<{ concurrency: number; waiting: number }>
  production: boolean
  /** The SMTP server applicants' e-mail goes through (smtp:// or smtps://); undefined: no e-mail. */
  smtpUrl: string | undefined
  /** The sender of that e-mail. */
  mailFrom: string
  /** The platform's address as the public reaches it, without a trailing slash (links in e-mail). */
  publicUrl: string | undefined
  /** Limits on parsing users' files: size, cells, nesting, memory, time (files/parse-limits.ts). */
  parseLimits: ParseLimits
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
    requestTimeoutMs: e.REQUEST_TIMEOUT * 1000,
    preloadDelayMs: e.PRELOAD_DELAY_MS,
    searchScoring: Object.freeze({ concurrency: e.SEARCH_SCORING_CONCURRENCY, waiting: e.SEARCH_SCORING_QUEUE }),
    production,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? defaultMailFrom(e.PUBLIC_URL),
    publicUrl: e.PUBLIC_URL,
    parseLimits: Object.freeze({
      ...defaultParseLimits,
      timeoutSeconds: e.PARSE_TIMEOUT_SECONDS,
      memoryMb: e.PARSE_MEMORY_MB,
      maxUncompressedMb: e.PARSE_MAX_UNCOMPRESSED_MB,
      maxRatio: e.PARSE_MAX_RATIO,
      maxRows: e.PARSE_MAX_ROWS,
      maxCells: e.PARSE_MAX_CELLS,
      maxDepth: e.PARSE_MAX_DEPTH,
      maxPdfMb: e.PARSE_MAX_PDF_MB,
      maxPdfPages: e.PARSE_MAX_PDF_PAGES,
      maxPdfObjects: e.PARSE_MAX_PDF_OBJECTS,
    }),
  })
}

/** The sender when MAIL_FROM is not set: a no-reply address at the platform's own host name. */
function defaultMailFrom(publicUrl: string | undefined): string {
  const host = publicUrl ? new URL(publicUrl).hostname : 'localhost'
  return `政府信息公开平台 <no-reply@${host.includes('.') ? host : `${host}.localdomain`}>`
}
