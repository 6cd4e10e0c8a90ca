import { z } from 'zod'
import type { core } from 'zod'

// Users read only Chinese (issue #11). A schema's own message (`请填写姓名或名称`) always wins; for
// a field without one, zod asks this map, and a case it leaves open falls back to zod's zh-CN
// locale. Imported once for its effect by everything that parses input: the web app and the CLI.

const unlimited = Number.MAX_SAFE_INTEGER

const isEmpty = (input: unknown) => input === undefined || input === null || input === ''

function tooSmall(issue: core.$ZodRawIssue<core.$ZodIssueTooSmall>): string {
  const min = Number(issue.minimum)
  switch (issue.origin) {
    case 'string':
      return min <= 1 ? '请填写此项' : `至少 ${min} 个字`
    case 'array':
    case 'set':
      return min <= 1 ? '请至少选择一项' : `请至少选择 ${min} 项`
    case 'number':
    case 'int':
    case 'bigint':
      return issue.inclusive ? `不能小于 ${min}` : `应大于 ${min}`
    case 'date':
      return '日期过早'
    default:
      return '内容过少'
  }
}

function tooBig(issue: core.$ZodRawIssue<core.$ZodIssueTooBig>): string {
  const max = Number(issue.maximum)
  switch (issue.origin) {
    case 'string':
      return `不超过 ${max} 个字`
    case 'array':
    case 'set':
      return `最多选择 ${max} 项`
    case 'number':
    case 'int':
    case 'bigint':
      if (max >= unlimited) return '数值过大'
      return issue.inclusive ? `不能大于 ${max}` : `应小于 ${max}`
    case 'file':
      return '文件过大'
    case 'date':
      return '日期过晚'
    default:
      return '内容过多'
  }
}

const formats: Record<string, string> = {
  email: '电子邮箱格式不正确',
  url: '网址格式不正确',
  date: '日期格式应为 YYYY-MM-DD',
  datetime: '日期时间格式不正确',
  time: '时间格式不正确',
}

/** The Chinese text of an issue whose schema gave none; undefined leaves it to the zh-CN locale. */
export const chineseMessage: core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (isEmpty(issue.input)) return issue.expected === 'array' ? '请至少选择一项' : '请填写此项'
      if (issue.expected === 'number' || issue.expected === 'int' || issue.expected === 'bigint') return '请填写数字'
      if (issue.expected === 'date') return '请填写正确的日期'
      return '填写的内容格式不正确'
    case 'invalid_value':
      return isEmpty(issue.input) ? '请选择此项' : '请从列出的选项中选择'
    case 'too_small':
      return tooSmall(issue)
    case 'too_big':
      return tooBig(issue)
    case 'invalid_format':
      return formats[issue.format] ?? '格式不正确'
    case 'not_multiple_of':
      return `应为 ${Number(issue.divisor)} 的整数倍`
    case 'unrecognized_keys':
      return '含有无法识别的内容'
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return '填写的内容格式不正确'
    case 'custom':
      return '填写的内容不正确'
    default:
      return undefined
  }
}

z.config({ ...z.locales.zhCN(), customError: chineseMessage })
