import pino from 'pino'
import './validation-messages.ts'
import { systemClock } from './clock.ts'
import type { Clock } from './clock.ts'
import { loadConfig } from './config.ts'
import type { Config } from './config.ts'
import type { Deps } from './deps.ts'
import { limitFullScoring } from './search/full-scoring.ts'
import { FieldCipher, selfTestCrypto } from './security/crypto.ts'
import { loadKeys } from './security/keys.ts'
import { currentSchemaVersion, migrateToLatest } from './storage/migrate.ts'
import { checkDurability, openDatabase } from './storage/open-database.ts'

/**
 * Opens everything a use case needs: checks the crypto, loads (or on first start generates) the
 * keys, opens the database, refuses unsafe engine settings, and migrates when asked.
 */
export async function createDeps(opts: { config?: Config; clock?: Clock; migrate?: boolean } = {}): Promise<Deps> {
  const config = opts.config ?? loadConfig()
  selfTestCrypto()
  const keys = loadKeys(config)
  const opened = openDatabase(config)
  const problems = await checkDurability(opened)
  if (problems.length > 0) {
    await opened.db.destroy()
    throw new Error(`数据库设置不安全，拒绝启动：\n  ${problems.join('\n  ')}`)
  }
  if (opts.migrate) await migrateToLatest(opened.db, opened.kind, keys)
  limitFullScoring(opened.db, config.searchScoring)
  const log = pino({ level: config.logLevel, redact: ['*.password', '*.token', '*.secret'] })
  return Object.freeze({
    db: opened.db,
    kind: opened.kind,
    clock: opts.clock ?? systemClock,
    keys,
    fields: new FieldCipher(keys.field),
    log,
    config,
    schemaVersion: await currentSchemaVersion(opened.db, opened.kind),
  })
}

export async function serve(): Promise<void> {
  const deps = await createDeps({ migrate: true })
  // The data directory is this server's while it runs: restore refuses meanwhile (backup/server-lock.ts).
  const { holdDataDir, runningServer } = await import('./backup/server-lock.ts')
  // SQLite is served by one process (its counters live in that process: security/shared-counters.ts).
  const other = deps.kind === 'sqlite' ? runningServer(deps.config.dataDir) : undefined
  if (other !== undefined) {
    await deps.db.destroy()
    throw new Error(
      `另一个平台进程（进程 ${other}）正在使用数据目录 ${deps.config.dataDir}：内置 SQLite 只能由一个进程提供服务；多进程部署请使用 PostgreSQL`,
    )
  }
  const releaseDataDir = holdDataDir(deps.config.dataDir)
  // Half-written uploads of a process that died are removed; applicant files stored before encryption are encrypted.
  const { removeOrphanedParts } = await import('./files/file-store.ts')
  const orphans = removeOrphanedParts(deps.config.dataDir)
  // An old-site import cut off by the death of its process leaves rows public nowhere: removed (item-import.ts).
  const { discardImports } = await import('./disclosures/item-import.ts')
  await discardImports(deps, { olderThan: new Date(Date.now() - 3_600_000).toISOString() })
  const { encryptApplicantFiles } = await import('./applications/applicant.service.ts')
  const encrypted = await encryptApplicantFiles(deps)
  // Published items a migration found missing from the search index are indexed again (search.sqlite.ts keys).
  const { repairSearchIndex } = await import('./disclosures/disclosure.service.ts')
  const reindexed = await repairSearchIndex(deps)
  // The relevance lists of an index that existed before them are built now when the index is small enough to take
  // a few minutes at most; a larger one is served by scoring every match until `gongkai search rebuild` runs.
  const { rankingNeedsRebuild, rebuildRanking } = await import('./search/ranking.ts')
  const unranked = await rankingNeedsRebuild(deps.db, deps.kind)
  const searchDocs = unranked
    ? Number(
        (
          await deps.db
            .selectFrom('item_search')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirst()
        )?.n ?? 0,
      )
    : 0
  if (unranked && searchDocs <= 20_000) await deps.db.transaction().execute((trx) => rebuildRanking(trx, deps.kind))
  const { buildApp } = await import('./web/app.ts')
  const app = await buildApp(deps)
  // Jobs left running by a process that ended — their lease ran out — were cut off (jobs/jobs.ts);
  // while this process runs it keeps marking those of other processes that end.
  const { markInterruptedJobs, startJobSweeper } = await import('./jobs/jobs.ts')
  await markInterruptedJobs(deps)
  const stopSweeper = startJobSweeper(deps, (err) => app.log.error({ err }, 'marking interrupted jobs failed'))
  // Scheduled publications go out at the server's time; every process may try, one wins each item.
  const { startPublicationScheduler } = await import('./disclosures/scheduler.ts')
  const stopScheduler = startPublicationScheduler(deps, {
    onError: (err) => app.log.error({ err }, 'scheduled publication failed'),
  })
  // E-mail to applicants goes out after the commit of the step that queued it (notify/mail-worker.ts).
  const { startMailWorker } = await import('./notify/mail-worker.ts')
  const stopMailWorker = startMailWorker(deps, { onError: (err) => app.log.error({ err }, 'applicant e-mail failed') })
  if (orphans) app.log.info(`已清除 ${orphans} 个未写完的上传文件（.part）`)
  if (encrypted) app.log.info(`已加密 ${encrypted} 份此前未加密保存的申请人材料`)
  if (unranked && searchDocs > 20_000)
    app.log.warn('检索的相关度排序表尚未建立：按相关度排序时逐条计算，较慢；请在低峰时运行 gongkai search rebuild')
  if (reindexed) app.log.info(`已将 ${reindexed} 条此前漏出检索索引的已发布信息重新编入索引`)
  if (!deps.config.smtpUrl) app.log.info('未配置邮件服务器（SMTP_URL），不会向申请人发送邮件通知')
  const { stopParseWorkers } = await import('./files/parse-worker.ts')
  const close = async () => {
    // A parse in progress is stopped, not waited for: its request is answered (422) and the server exits (issue #14).
    await stopParseWorkers()
    stopSweeper()
    await stopMailWorker()
    await stopScheduler()
    await app.close()
    await deps.db.destroy()
    releaseDataDir()
    process.exit(0)
  }
  process.once('SIGINT', close)
  process.once('SIGTERM', close)
  await app.listen({ port: deps.config.port, host: deps.config.host })
  const shown = deps.config.host === '0.0.0.0' || deps.config.host === '127.0.0.1' ? 'localhost' : deps.config.host
  app.log.info(`政府信息公开平台已启动：http://${shown}:${deps.config.port}/（数据库：${deps.kind}）`)
}
