import { z } from 'zod'

// A proactively disclosed item (主动公开信息) and its catalogue metadata (law-and-format.md §5).

export const itemStatusLabels: Record<string, string> = {
  draft: '草稿',
  in_review: '审核中',
  approved: '审核通过，待发布',
  published: '已发布',
  withdrawn: '已撤回',
  quarantined: '已隔离（含密级标志）',
}
export const validityLabels = { valid: '有效', repealed: '废止', lapsed: '失效' } as const
export const genres = [
  '决议',
  '决定',
  '命令',
  '公报',
  '公告',
  '通告',
  '意见',
  '通知',
  '通报',
  '报告',
  '请示',
  '批复',
  '议案',
  '函',
  '纪要',
  '其他',
] as const

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
const optionalDate = z.preprocess((v) => (v === '' ? undefined : v), date.optional())
const optionalText = (max: number, label: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().max(max, `${label}不得超过 ${max} 个字`).optional(),
  )

export const itemForm = z.object({
  columnId: z.coerce.number({ error: '请选择栏目' }).int().positive('请选择栏目'),
  unitId: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().positive().optional()),
  primaryChannelId: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().positive().optional()),
  title: z
    .string({ error: '请填写名称' })
    .trim()
    .min(2, '名称至少 2 个字')
    .max(200, '名称不得超过 200 个字')
    .refine((v) => !/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u.test(v), '名称含有不允许的控制字符'),
  docNumber: optionalText(60, '文号'),
  writtenOn: optionalDate,
  formedOn: date,
  topic: optionalText(60, '主题分类'),
  genre: z.preprocess((v) => (v === '' ? undefined : v), z.enum(genres, { error: '请选择体裁' }).optional()),
  keywords: optionalText(100, '主题词'),
  summary: optionalText(500, '内容概述'),
  body: z.string({ error: '请填写正文' }).trim().min(1, '请填写正文').max(200_000, '正文过长'),
  docKind: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['rule', 'normative']).optional()),
  validity: z.enum(['valid', 'repealed', 'lapsed'], { error: '请选择有效性' }),
  effectiveOn: optionalDate,
  repealedOn: optionalDate,
  lapsedOn: optionalDate,
})
export type ItemInput = z.infer<typeof itemForm>
