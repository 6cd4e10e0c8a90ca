import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  chmodSync,
  closeSync,
  cpSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import BetterSqlite3 from 'better-sqlite3'
import { sql } from 'kysely'
import { z } from 'zod'
import { verifyAuditChain } from '../audit/audit.service.ts'
import { formatHead } from '../audit/audit.ts'
import type { Config } from '../config.ts'
import type { Deps } from '../deps.ts'
import { keyCheckValues, keysNotMatching, loadKeys } from '../security/keys.ts'
import { postgres, sqliteFileName } from '../storage/open-database.ts'
import type { DatabaseKind } from '../storage/database.ts'
import { runningServer } from './server-lock.ts'

// A backup is one .tar.gz: manifest.json, the database (SQLite online-backup copy, or pg_dump's
// custom format) and the uploaded files. Keys are never in it (security-and-reliability.md
// "Decisions"): a backup restores only where the same keys are given.

const run = promisify(execFile)
export const filesDirName = 'files'

const manifestSchema = z.object({
  format: z.literal('gongkai-backup'),
  version: z.literal(1),
  database: z.enum(['sqlite', 'postgres']),
  schemaVersion: z.string(),
  createdAt: z.string(),
  auditHead: z.string(),
  counts: z.record(z.string(), z.number()),
  files: z.array(z.object({ path: z.string(), size: z.number(), sha256: z.string() })),
  /** Check values of the keys the backup was made with (keys.ts); absent in backups made before issue #14. */
  keyCheck: z.object({ session: z.string(), audit: z.string(), field: z.string() }).optional(),
})
export type BackupManifest = z.infer<typeof manifestSchema>

const countedTables = ['regions', 'agencies', 'units', 'users', 'user_roles', 'settings', 'audit_log'] as const

async function countRows(deps: Pick<Deps, 'db'>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const t of countedTables) {
    const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(deps.db)
    counts[t] = Number(r.rows[0]?.n ?? 0)
  }
  return counts
}

function listFiles(root: string, dir = root): { path: string; size: number; sha256: string }[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) return listFiles(root, full)
    return [
      {
        path: path.relative(root, full),
        size: statSync(full).size,
        sha256: createHash('sha256').update(readFileSync(full)).digest('hex'),
      },
    ]
  })
}

/** Makes a consistent copy while the server runs. */
export async function createBackup(deps: Deps, file: string): Promise<BackupManifest> {
  const work = mkdtempSync(path.join(tmpdir(), 'gongkai-backup-'))
  try {
    // The head and counts are read before the copy; entries written during the copy only make the
    // copy newer, and the restore check accepts a chain that extends the recorded head.
    const head = (await verifyAuditChain(deps)).head
    const counts = await countRows(deps)
    if (deps.kind === 'sqlite') {
      const source = new BetterSqlite3(path.join(deps.config.dataDir, sqliteFileName), {
        readonly: true,
        fileMustExist: true,
      })
      try {
        await source.backup(path.join(work, 'database.sqlite'))
      } finally {
        source.close()
      }
    } else {
      await run('pg_dump', [
        '--format=custom',
        '--no-owner',
        '--no-acl',
        '--file',
        path.join(work, 'database.pgdump'),
        requireUrl(deps.config),
      ])
    }
    const filesDir = path.join(deps.config.dataDir, filesDirName)
    if (existsSync(filesDir)) cpSync(filesDir, path.join(work, filesDirName), { recursive: true })
    const manifest: BackupManifest = {
      format: 'gongkai-backup',
      version: 1,
      database: deps.kind,
      schemaVersion: deps.schemaVersion,
      createdAt: deps.clock.now().toISOString(),
      auditHead: formatHead(head),
      counts,
      files: listFiles(path.join(work, filesDirName)),
      keyCheck: keyCheckValues(deps.keys),
    }
    writeFileSync(path.join(work, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
    // A backup holds every applicant's data: readable by its owner only (0600), from the moment it exists.
    const partial = `${file}.partial`
    closeSync(openSync(partial, 'w', 0o600))
    await run('tar', ['-czf', partial, '-C', work, '.'])
    chmodSync(partial, 0o600)
    renameSync(partial, file)
    return manifest
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/**
 * Restore replaces the database under a running server's feet: refused while a server holds the data directory
 * (server-lock.ts) or, on PostgreSQL, while any other connection to the database is open (another process, another
 * machine behind the proxy).
 */
async function refuseWhileRunning(config: Config, kind: DatabaseKind): Promise<void> {
  const pid = runningServer(config.dataDir)
  if (pid !== undefined)
    throw new Error(`平台正在运行（进程 ${pid} 使用数据目录 ${config.dataDir}），请先停止平台再恢复；恢复未执行`)
  if (kind !== 'postgres') return
  const client = new (postgres().Client)({ connectionString: requireUrl(config) })
  await client.connect()
  try {
    const r = await client.query<{ n: string }>(
      'select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    )
    const n = Number(r.rows[0]?.n ?? 0)
    if (n > 0) throw new Error(`数据库仍有 ${n} 个其他连接（平台可能仍在运行），请先停止所有平台进程再恢复；恢复未执行`)
  } finally {
    await client.end()
  }
}

const requireUrl = (config: Config) => {
  if (!config.databaseUrl) throw new Error('未设置 DATABASE_URL')
  return config.databaseUrl
}

/**
 * Puts a backup back in place of the current data. The server must be stopped first (SQLite's
 * file is replaced). The caller then opens the database and checks it with `checkRestored`.
 */
export async function restoreBackup(config: Config, kind: DatabaseKind, file: string): Promise<BackupManifest> {
  if (!existsSync(file)) throw new Error(`备份文件不存在：${file}`)
  await refuseWhileRunning(config, kind)
  const work = mkdtempSync(path.join(tmpdir(), 'gongkai-restore-'))
  try {
    await run('tar', ['-xzf', file, '-C', work])
    const manifest = manifestSchema.parse(JSON.parse(readFileSync(path.join(work, 'manifest.json'), 'utf8')))
    if (manifest.database !== kind) {
      throw new Error(`该备份来自 ${manifest.database} 数据库，当前配置为 ${kind}，不能直接恢复`)
    }
    // The keys are checked before anything is replaced (issue #14): with other keys every audit entry
    // and every encrypted field would fail its check, one message each; say it once and stop.
    if (manifest.keyCheck) {
      const differing = keysNotMatching(loadKeys(config), manifest.keyCheck)
      if (differing.length > 0) {
        throw new KeyMismatch(
          `密钥与备份不符：${differing.join('、')} 与制作备份时使用的不同，未恢复任何数据。` +
            '请配置制作备份时的密钥（环境变量、KEY_FILE 或数据目录中的 keys.json）后重试。',
        )
      }
    }
    for (const f of manifest.files) {
      const actual = createHash('sha256')
        .update(readFileSync(path.join(work, filesDirName, f.path)))
        .digest('hex')
      if (actual !== f.sha256) throw new Error(`备份中的文件已损坏：${f.path}`)
    }
    if (kind === 'sqlite') {
      const target = path.join(config.dataDir, sqliteFileName)
      const staged = `${target}.restoring`
      cpSync(path.join(work, 'database.sqlite'), staged)
      for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true })
      renameSync(staged, target)
    } else {
      await run('pg_restore', [
        '--clean',
        '--if-exists',
        '--no-owner',
        '--no-acl',
        '--single-transaction',
        '--dbname',
        requireUrl(config),
        path.join(work, 'database.pgdump'),
      ])
    }
    const filesDir = path.join(config.dataDir, filesDirName)
    rmSync(filesDir, { recursive: true, force: true })
    if (existsSync(path.join(work, filesDirName))) cpSync(path.join(work, filesDirName), filesDir, { recursive: true })
    return manifest
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** The keys at hand are not those the backup was made with. */
export class KeyMismatch extends Error {}

/**
 * Problems between a restored database and its manifest: counts, and an audit chain that verifies and reaches the
 * recorded head.
 */
export async function checkRestored(deps: Deps, manifest: BackupManifest): Promise<string[]> {
  const [count, hash] = manifest.auditHead.split(':')
  const report = await verifyAuditChain(deps, count === '0' ? undefined : { count: Number(count), hash: hash ?? '' })
  // A backup from before key check values: when no entry of the chain verifies, the keys are wrong,
  // not every entry; one line says so instead of one line per entry.
  const everyEntryFails = report.problems.length > 1 && report.problems.length >= Number(count)
  const problems = everyEntryFails
    ? ['密钥与备份不符：审计记录无一通过校验，请配置制作备份时的密钥后重新恢复']
    : report.problems.map((p) => p.message)
  const counts = await countRows(deps)
  for (const [table, n] of Object.entries(manifest.counts)) {
    if ((counts[table] ?? 0) < n) problems.push(`表 ${table} 恢复后有 ${counts[table] ?? 0} 行，备份时为 ${n} 行`)
  }
  return problems
}
