import { z } from 'zod'
import { readSetting } from '../settings/settings.store.ts'
import type { Executor } from '../storage/database.ts'
import { defaultIndexFormat } from './column-tree.ts'
import type { IndexFormat } from './column-tree.ts'

export const indexFormatForm = z
  .object({
    prefix: z.enum(['uscc', 'org', 'custom'], { error: '请选择前段码' }),
    custom: z
      .string()
      .trim()
      .max(30, '自定义前段码不得超过 30 个字符')
      .regex(/^[0-9A-Za-z-]*$/, '自定义前段码只能包含字母、数字和连字符')
      .optional(),
    period: z.enum(['year', 'month'], { error: '请选择后段码形式' }),
  })
  .refine((v) => v.prefix !== 'custom' || Boolean(v.custom), { path: ['custom'], message: '请填写自定义前段码' })

export async function readIndexFormat(db: Executor, agencyId: number): Promise<IndexFormat> {
  const stored = await readSetting(db, `index_format:${agencyId}`)
  const parsed = stored ? indexFormatForm.safeParse(JSON.parse(stored)) : undefined
  return parsed?.success ? parsed.data : defaultIndexFormat
}
