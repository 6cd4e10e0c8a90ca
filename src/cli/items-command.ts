import { parseArgs } from 'node:util'
import { findAgencyByCreditCode, findAgencyById } from '../agencies/agency.store.ts'
import { systemActor } from '../audit/audit.ts'
import { withDeps } from './with-deps.ts'

// `gongkai items import`: an old site's published items.

type Out = { log: (s: string) => void; error: (s: string) => void }

export async function itemsCommand(args: string[], out: Out): Promise<number> {
  const [sub, ...rest] = args
  const { values, positionals } = parseArgs({
    args: rest,
    options: { agency: { type: 'string' } },
    allowPositionals: true,
  })
  const file = positionals[0]
  if (sub !== 'import' || !file || !values.agency) {
    out.error('用法：gongkai items import <CSV或JSON文件> --agency <机关ID或统一社会信用代码>')
    return 2
  }
  const { readFile } = await import('node:fs/promises')
  const { importItems, readImportFile } = await import('../disclosures/item-import.ts')
  return withDeps(async (deps) => {
    const agencyArg = values.agency as string
    const agency = /^\d+$/.test(agencyArg)
      ? await findAgencyById(deps.db, Number(agencyArg))
      : await findAgencyByCreditCode(deps.db, agencyArg.toUpperCase())
    if (!agency) {
      out.error(`找不到机关：${agencyArg}`)
      return 2
    }
    const text = await readFile(file, 'utf8')
    const result = await importItems(deps, systemActor(), agency.id, readImportFile(text, file))
    out.log(
      `已导入 ${result.imported} 条信息到 ${agency.name}（保留原发布日期和索引号，标记为导入），其中 ${result.published} 条已公开`,
    )
    for (const f of result.findings)
      out.log(
        `  第 ${f.line} 行“${f.title}”保密审查发现：${f.findings.join('、')}（${f.quarantined ? '含密级标志，已隔离，报公开办负责人处理' : '未公开，待保密审查人员解除后发布'}）`,
      )
    return 0
  })
}
