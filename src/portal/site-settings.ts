import { z } from 'zod'
import { readSetting } from '../settings/settings.store.ts'
import type { Executor } from '../storage/database.ts'

// What the footer of every public page says about the site (国办发〔2017〕47号《政府网站发展指引》:
// a government site shows its 主办单位, contact, 网站标识码, ICP 备案号 and 公安机关备案号 at the foot of
// the foot of every page, with the 党政机关网站标识 and a site map). The 系统管理员 sets them; a field left empty is not shown, never a placeholder.

const settingKey = 'site_footer'

const optional = (label: string, max: number) => z.string().trim().max(max, `${label}不得超过 ${max} 个字`)

// 网站标识码: a government site's 10 digits; ministries' sites carry “bm” and 8 digits in practice.
const siteCodePattern = /^(\d{10}|bm\d{8})$/i
// ICP 备案号 as the MIIT issues it: province abbreviation, “ICP备”, serial, “号”, optional “-n”.
const icpPattern = /^[\u4e00-\u9fa5]ICP备\d{6,10}号(-\d{1,3})?$/
// 公安机关备案号: province abbreviation, “公网安备”, 14 digits, “号”.
const policePattern = /^[\u4e00-\u9fa5]公网安备\s?(\d{14})号$/

export const siteFooterForm = z.object({
  host: z.string().trim().min(2, '请填写主办单位').max(60, '主办单位不得超过 60 个字'),
  organiser: optional('承办单位', 60),
  address: optional('联系地址', 120),
  phone: optional('联系电话', 40).refine(
    (v) => v === '' || /^[\d\s\-—()（）转,，、]{5,40}$/.test(v),
    '联系电话只能包含数字、空格和连字符',
  ),
  email: optional('电子邮箱', 100).refine(
    (v) => v === '' || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v),
    '电子邮箱格式不正确',
  ),
  siteCode: z
    .string()
    .trim()
    .refine((v) => v === '' || siteCodePattern.test(v), '网站标识码应为 10 位数字（部门网站为 bm 加 8 位数字）'),
  icp: z
    .string()
    .trim()
    .refine((v) => v === '' || icpPattern.test(v), 'ICP 备案号格式应如“渝ICP备05003300号”或“渝ICP备05003300号-1”'),
  police: z
    .string()
    .trim()
    .refine((v) => v === '' || policePattern.test(v), '公安机关备案号格式应如“渝公网安备 50023102000001号”'),
})
export type SiteFooter = z.infer<typeof siteFooterForm>

/** The MIIT filing search every ICP number links to. */
export const icpLink = 'https://beian.miit.gov.cn/'

/** The public-security filing record of a 公安机关备案号: its 14 digits as the record code. */
export function policeLink(police: string): string | undefined {
  const digits = policePattern.exec(police.trim())?.[1]
  return digits ? `http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=${digits}` : undefined
}

/** The stored footer settings, or undefined before the 系统管理员 has saved them (or if they no longer parse). */
export async function readSiteFooter(db: Executor): Promise<SiteFooter | undefined> {
  const stored = await readSetting(db, settingKey)
  if (!stored) return undefined
  const parsed = siteFooterForm.safeParse(JSON.parse(stored))
  return parsed.success ? parsed.data : undefined
}

export const siteFooterKey = settingKey
