import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { findingLabels } from '../confidentiality/scan-rules.ts'
import { quarantines, scanItem } from '../confidentiality/scan.ts'

type Out = { log: (s: string) => void; error: (s: string) => void }

/**
 * `gongkai scan <file…>`: the pre-publication scan of documents; exit 1 when anything is found, 2 when a file cannot be
 * read.
 */
export async function scanCommand(files: string[], out: Out): Promise<number> {
  if (files.length === 0) {
    out.error('用法：gongkai scan <文件…>')
    return 2
  }
  let found = false
  for (const file of files) {
    let bytes: Buffer
    try {
      bytes = await readFile(file)
    } catch {
      out.error(`无法读取：${file}`)
      return 2
    }
    const findings = await scanItem({
      title: '',
      bodyHtml: '',
      metadata: {},
      attachments: [{ name: path.basename(file), bytes }],
    })
    const secret = quarantines(findings) ? '（含密级标志，不得公开）' : ''
    out.log(`${file}：${findings.length === 0 ? '未发现涉密或个人信息' : `发现 ${findings.length} 处${secret}`}`)
    for (const f of findings) out.log(`  [${findingLabels[f.kind]}] ${f.masked}${f.clearable ? '' : '（不可解除）'}`)
    if (findings.length) found = true
  }
  return found ? 1 : 0
}
