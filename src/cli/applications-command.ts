import { purgeExpiredPersonalData } from '../applications/applicant.service.ts'
import { systemActor } from '../audit/audit.ts'
import type { Deps } from '../deps.ts'

// `gongkai applications purge`.

type Out = { log: (s: string) => void; error: (s: string) => void }

export async function applicationsCommand(deps: Deps, args: string[], out: Out): Promise<number> {
  if (args[0] !== 'purge') {
    out.error('用法：gongkai applications purge [--dry-run]')
    return 2
  }
  const dryRun = args.includes('--dry-run')
  const r = await purgeExpiredPersonalData(deps, systemActor(), dryRun)
  out.log(`${dryRun ? '将清除' : '已清除'} ${r.count} 件申请的个人信息（${r.cutoff} 以前办结）`)
  return 0
}
