import type { Token } from './tokens.ts'

// XLSX as the project exports it: read once the exporter exists (issue #3, exports).
export async function readXlsx(_bytes: Buffer): Promise<Token[]> {
  throw new Error('暂不支持读取 XLSX 年报')
}
