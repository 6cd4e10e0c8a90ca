import type { AnnualReport } from '../report.ts'
import { reportTitle, renderReportDocument } from './report-html.tsx'

export const exportKinds = ['docx', 'pdf', 'xlsx', 'json', 'html'] as const
export type ExportKind = (typeof exportKinds)[number]
export const exportLabels: Record<ExportKind, string> = {
  docx: 'Word（DOCX）',
  pdf: 'PDF',
  xlsx: 'Excel（XLSX）',
  json: '数据（JSON）',
  html: '网页（HTML）',
}

const types: Record<ExportKind, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
}

/** One report as a download; the document renderers are loaded on first use. */
export async function exportReport(
  report: AnnualReport,
  kind: ExportKind,
): Promise<{ body: Buffer; type: string; fileName: string }> {
  let body: Buffer
  switch (kind) {
    case 'docx':
      body = await (await import('./report-docx.ts')).renderReportDocx(report)
      break
    case 'pdf':
      body = await (await import('./report-pdf.ts')).renderReportPdf(report)
      break
    case 'xlsx':
      body = await (await import('./report-xlsx.ts')).renderReportXlsx(report)
      break
    case 'json':
      body = Buffer.from(`${JSON.stringify(report, null, 2)}\n`)
      break
    default:
      body = Buffer.from(renderReportDocument(report))
  }
  return { body, type: types[kind], fileName: `${reportTitle(report)}.${kind}` }
}

export const contentDisposition = (fileName: string) =>
  `attachment; filename="report.${fileName.split('.').pop()}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
