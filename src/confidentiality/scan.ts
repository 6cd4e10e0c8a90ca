import { UnscannableFile, attachmentText, htmlText } from './extract-text.ts'
import { scanText } from './scan-rules.ts'
import type { ParseLimits } from '../files/parse-limits.ts'
import type { Finding, KnownPerson } from './scan-rules.ts'

// Scans every surface of an item before it may be published: title, body, metadata, attachment
// file names and attachment contents. A file whose content cannot be read is itself a finding:
// the scan fails closed, and a reviewer must look at it.

export type ScanInput = Readonly<{
  title: string
  bodyHtml: string
  metadata: Readonly<Record<string, string>>
  attachments: readonly { name: string; bytes: Buffer }[]
}>

export async function scanItem(
  input: ScanInput,
  known: readonly KnownPerson[] = [],
  limits?: ParseLimits,
): Promise<Finding[]> {
  const findings: Finding[] = [
    ...scanText(input.title, 'title', known),
    ...scanText(htmlText(input.bodyHtml), 'body', known),
    ...Object.entries(input.metadata).flatMap(([k, v]) => scanText(v, `metadata.${k}`, known)),
  ]
  for (const file of input.attachments) {
    findings.push(...scanText(file.name, `attachment-name:${file.name}`, known))
    try {
      findings.push(...scanText(await attachmentText(file.bytes, file.name, limits), `attachment:${file.name}`, known))
    } catch (e) {
      const reason = e instanceof UnscannableFile ? e.message : '文件无法解析'
      findings.push({
        kind: 'unscannable',
        surface: `attachment:${file.name}`,
        masked: reason,
        offset: 0,
        length: 0,
        clearable: true,
      })
    }
  }
  return findings
}

/** Publishing waits while any finding stands; a secret marking quarantines the item. */
export const blocksPublishing = (findings: readonly Finding[]) => findings.length > 0
export const quarantines = (findings: readonly Finding[]) => findings.some((f) => !f.clearable)
