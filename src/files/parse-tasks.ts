import type { ParseLimits } from './parse-limits.ts'
import type { ParseTask } from './parse-worker.ts'

// What a parse worker can be asked to do (parse-worker-entry.mjs); each task loads its own parser, so
// a worker starts with only what it needs. Bytes arrive as a Uint8Array (a Buffer loses its class on
// the way); the answers are plain data.

const buffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength)

export const parseTasks: Record<ParseTask, (input: never, limits: ParseLimits) => Promise<unknown>> = {
  reportFile: async (input: { bytes: Uint8Array; name: string }, limits) =>
    (await import('../reports/import/read-file.ts')).readReport(buffer(input.bytes), input.name, limits),
  activityTable: async (input: { bytes: Uint8Array }, limits) =>
    (await import('../activities/activity-xlsx.ts')).xlsxTable(buffer(input.bytes), limits),
  attachmentText: async (input: { bytes: Uint8Array; fileName: string }, limits) =>
    (await import('../confidentiality/extract-text.ts')).readAttachment(buffer(input.bytes), input.fileName, limits),
}
