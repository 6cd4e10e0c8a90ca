import { z } from 'zod'
import { readSetting } from '../settings/settings.store.ts'
import type { Executor } from '../storage/database.ts'

// 政府信息公开指南 (条例 art. 12): what an agency states about its office and how to obtain
// information; the guide page is generated from these settings and the column tree.

const text = (label: string, max: number) => z.string().trim().max(max, `${label}不得超过 ${max} 个字`)
export const guideForm = z.object({
  officeName: text('工作机构名称', 60).min(2, '请填写政府信息公开工作机构名称'),
  address: text('办公地址', 120).min(2, '请填写办公地址'),
  postcode: z
    .string()
    .trim()
    .regex(/^(\d{6})?$/, '邮政编码应为 6 位数字'),
  hours: text('办公时间', 120).min(2, '请填写办公时间'),
  phone: text('联系电话', 40).min(5, '请填写联系电话'),
  fax: text('传真', 40),
  email: z
    .string()
    .trim()
    .max(100)
    .refine((v) => v === '' || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v), '电子邮箱格式不正确'),
  notes: text('其他说明', 2000),
  // Added with issue #12; guides saved before have no such keys, hence optional.
  /** The 行政复议机关 when the rule of 行政复议法 art. 24 does not name it plainly (e.g. a vertically managed organ). */
  reviewBody: text('行政复议机关', 60).optional(),
  /** Where complaints go (条例 art. 47, 51): the 政府信息公开工作主管部门 or the higher organ, with a number. */
  complaints: text('投诉举报渠道', 200).optional(),
})
export type Guide = z.infer<typeof guideForm>

export async function readGuide(db: Executor, agencyId: number): Promise<Guide | undefined> {
  const stored = await readSetting(db, `guide:${agencyId}`)
  if (!stored) return undefined
  const parsed = guideForm.safeParse(JSON.parse(stored))
  return parsed.success ? parsed.data : undefined
}
