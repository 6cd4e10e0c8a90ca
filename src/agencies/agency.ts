import { z } from 'zod'
import { isValidCreditCode } from './credit-code.ts'

export const agencyLevels = ['省级', '市级', '县级', '乡级'] as const
export const agencyKinds = ['人民政府', '政府办公室', '政府部门', '乡镇（街道）', '事业单位', '其他'] as const
export const unitKinds = ['科室', '所', '下属单位'] as const

export type Agency = Readonly<{
  id: number
  regionId: number
  name: string
  creditCode: string
  level: string
  kind: string
  parentId: number | null
  isSupervising: boolean
}>

export type Unit = Readonly<{ id: number; agencyId: number; name: string; kind: string }>

const name = (label: string, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(2, `${label}至少 2 个字`)
    .max(max, `${label}不得超过 ${max} 个字`)
    // Control characters and bidi overrides have no place in a name (IN-02).
    .refine((v) => !/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u.test(v), `${label}含有不允许的控制字符`)

export const creditCodeField = z
  .string({ error: '请填写统一社会信用代码' })
  .trim()
  .transform((v) => v.toUpperCase())
  .refine((v) => v.length === 18, '统一社会信用代码应为 18 位')
  .refine(isValidCreditCode, '统一社会信用代码校验位不正确，请核对')

export const agencyForm = z.object({
  name: name('机关全称', 60),
  creditCode: creditCodeField,
  level: z.enum(agencyLevels, { error: '请选择机关层级' }),
  kind: z.enum(agencyKinds, { error: '请选择机关类别' }),
  parentId: z.preprocess(
    (v) => (v === '' || v === undefined ? null : v),
    z.coerce.number().int().positive().nullable(),
  ),
})
export type AgencyInput = z.infer<typeof agencyForm>

export const unitForm = z.object({
  name: name('单位名称', 40),
  kind: z.enum(unitKinds, { error: '请选择单位类别' }),
})
export type UnitInput = z.infer<typeof unitForm>

export const regionName = name('区域名称', 40)
