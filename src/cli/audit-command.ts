import { parseArgs } from 'node:util'
import { formatHead, parseHead, systemActor } from '../audit/audit.ts'
import { recordAudit, verifyAuditChain } from '../audit/audit.service.ts'
import { withDeps } from './with-deps.ts'

// `gongkai audit verify`.

type Out = { log: (s: string) => void; error: (s: string) => void }

export async function auditCommand(args: string[], out: Out): Promise<number> {
  const [sub, ...rest] = args
  if (sub !== 'verify') {
    out.error('用法：gongkai audit verify [--head <条数>:<哈希>]')
    return 2
  }
  const { values } = parseArgs({ args: rest, options: { head: { type: 'string' } } })
  const expected = values.head ? parseHead(values.head) : undefined
  if (values.head && !expected) {
    out.error('--head 的格式应为 <条数>:<64 位十六进制哈希>')
    return 2
  }
  return withDeps(async (deps) => {
    const report = await verifyAuditChain(deps, expected)
    await recordAudit(deps, systemActor(), {
      action: 'audit.verify',
      objectType: 'audit_log',
      objectId: '',
      result: report.problems.length ? 'failure' : 'success',
      detail: { problems: report.problems.length },
    })
    for (const p of report.problems) out.error(p.message)
    out.log(`审计链头：${formatHead(report.head)}（${report.head.count} 条）`)
    if (report.problems.length) {
      out.error(`审计链校验未通过：发现 ${report.problems.length} 处问题`)
      return 1
    }
    out.log('审计链校验通过')
    return 0
  }, false)
}
