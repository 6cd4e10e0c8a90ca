import { systemActor } from '../audit/audit.ts'
import { recordAudit } from '../audit/audit.service.ts'
import { checkRestored, createBackup, restoreBackup } from '../backup/backup.service.ts'
import { loadConfig } from '../config.ts'
import { withDeps } from './with-deps.ts'

// `gongkai backup` and `gongkai restore`.

type Out = { log: (s: string) => void; error: (s: string) => void }

export async function backupCommand(args: string[], out: Out): Promise<number> {
  const file = args[0]
  if (!file) {
    out.error('用法：gongkai backup <文件>')
    return 2
  }
  return withDeps(async (deps) => {
    const manifest = await createBackup(deps, file)
    await recordAudit(deps, systemActor(), {
      action: 'backup.create',
      objectType: 'backup',
      objectId: file,
      result: 'success',
      detail: { auditHead: manifest.auditHead },
    })
    out.log(
      `备份完成：${file}\n数据库：${manifest.database}；审计链头：${manifest.auditHead}\n备份不含密钥，请另行保管密钥。`,
    )
    return 0
  }, false)
}

export async function restoreCommand(args: string[], out: Out): Promise<number> {
  const file = args[0]
  if (!file) {
    out.error('用法：gongkai restore <文件>')
    return 2
  }
  const config = loadConfig()
  const manifest = await restoreBackup(config, config.databaseUrl ? 'postgres' : 'sqlite', file)
  return withDeps(async (deps) => {
    const problems = await checkRestored(deps, manifest)
    await recordAudit(deps, systemActor(), {
      action: 'backup.restore',
      objectType: 'backup',
      objectId: file,
      result: problems.length ? 'failure' : 'success',
      detail: { createdAt: manifest.createdAt },
    })
    for (const p of problems) out.error(p)
    if (problems.length) return 1
    out.log(`恢复完成：数据为 ${manifest.createdAt} 的备份；审计链校验通过（${manifest.auditHead}）`)
    return 0
  }, false)
}
