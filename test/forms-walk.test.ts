import { readFileSync } from 'node:fs'
import path from 'node:path'
import * as cheerio from 'cheerio'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { maxAnswerLength } from '../src/applications/correction-answer.service.ts'
import { solveChallenge } from '../src/applications/proof-of-work.ts'
import type { Role } from '../src/accounts/roles.ts'
import { buildApplication } from './support/build-application.ts'
import { anonymousSession, buildStaff, form, signIn, strongPassword } from './support/builders.ts'
import type { Browserless } from './support/builders.ts'
import { multipart } from './support/multipart.ts'
import { testApp } from './support/app.ts'
import type { TestApp } from './support/app.ts'
import { databaseKinds } from './support/test-deps.ts'

// Every form of the platform, as a user fills it (issue #12): its minimum valid input is accepted,
// and typical bad input (empty, too long, wrong format) is answered on the same page (422) with a
// Chinese message beside the field at fault and the rest of the input kept (value="…"), nothing
// written. test/validation-language.test.ts posts garbage to every POST route for English texts;
// test/upload-limits.test.ts covers the oversize file (文件超过 10 MB) for applicants, attachments
// and imports. Each form names the rule its check rests on.

type Fields = Record<string, string | string[]>
/** Bad input and the field whose message should say what is wrong. */
type Bad = { why: string; values: Fields; field: string; file?: { name: string; content: Buffer } }
type FormSpec = {
  title: string
  who: Role | 'anonymous'
  page: () => string
  action: () => string
  valid: () => Fields
  /** A field filled in every bad case, whose value as sent the re-rendered form must keep. */
  keep?: string
  bad: Bad[]
  /** Sent as multipart/form-data (an upload form). */
  multipart?: boolean
  /** Run before the form is walked: finds the record the action names. */
  before?: () => Promise<void>
  /** The status of the valid submission: 303 (redirect to the result) unless said. */
  ok?: number
  afterValid?: (location: string) => void
}

const han = /\p{Script=Han}/u
const english = /\b(Invalid|expected|Required|must|too|received|undefined|null)\b/

let t: TestApp
let app: FastifyInstance
const sessions = new Map<Role | 'anonymous', Browserless>()
const ids = {
  item: 0,
  report: 0,
  column: 0,
  agency: 0,
  appeal: 0,
  application: {} as Record<string, number>,
  letter: { application: 0, id: 0 },
  corrected: { number: '', queryCode: '' },
  applicationNumber: '',
  queryCode: '',
}

const person = {
  category: 'natural',
  name: '李明华',
  idType: 'resident_id',
  idNumber: '11010519491231002X',
  phone: '13912345678',
  address: '重庆市垫江县桂溪街道新华路 18 号',
  infoDescription: '2025年桂溪街道老旧小区改造项目的资金使用明细',
  wantedForm: 'electronic',
  deliveryWay: 'online',
}
const company = {
  category: 'commercial',
  name: '重庆垫江恒达建材有限公司',
  idType: '',
  idNumber: '',
  creditCode: '91350100M000100Y43',
  contactPerson: '张伟',
  phone: '023-74512345',
  address: '垫江县桂溪街道工业园区 3 号',
  infoDescription: '2025年桂溪街道工业园区道路建设项目的招标文件',
  wantedForm: 'electronic',
  deliveryWay: 'online',
}
const long = (n: number) => '长'.repeat(n)
const dianjiang = readFileSync(path.resolve('test/fixtures/reports/dianjiang-justice-2020.txt'), 'utf8')

/** A step on one application of the office (built fresh for the step), taken by a handler of the office. */
function step(action: string, title: string, spec: { valid: Fields; keep: string; bad: Bad[]; who?: Role }): FormSpec {
  const page = () => `/console/applications/${ids.application[action]}`
  return {
    title,
    who: spec.who ?? 'handler',
    page,
    action: () => `${page()}/${action}`,
    before: async () => {
      ids.application[action] = (await buildApplication(t.deps)).id
    },
    valid: () => spec.valid,
    keep: spec.keep,
    bad: spec.bad,
  }
}

const specs: FormSpec[] = [
  {
    title: 'a person applies (条例第二十九条: 姓名、身份证明、联系方式、所需信息的描述)',
    who: 'anonymous',
    page: () => `/agencies/${t.officeId}/apply`,
    action: () => `/agencies/${t.officeId}/apply`,
    valid: () => person,
    keep: 'address',
    ok: 200, // the receipt page: number and query code
    bad: [
      { why: 'empty name', values: { name: '' }, field: 'name' },
      { why: 'too long name', values: { name: long(201) }, field: 'name' },
      { why: 'wrong ID number', values: { idNumber: '110105194912310021' }, field: 'idNumber' },
      { why: 'wrong phone', values: { phone: '电话' }, field: 'phone' },
      { why: 'empty description', values: { infoDescription: '' }, field: 'infoDescription' },
    ],
  },
  {
    title: 'a company applies (条例第二十九条: 法人的名称、统一社会信用代码、联系人)',
    who: 'anonymous',
    page: () => `/agencies/${t.officeId}/apply`,
    action: () => `/agencies/${t.officeId}/apply`,
    valid: () => company,
    keep: 'address',
    ok: 200,
    bad: [
      { why: 'wrong credit code', values: { creditCode: '91350100M000100Y4' }, field: 'creditCode' },
      { why: 'empty contact person', values: { contactPerson: '' }, field: 'contactPerson' },
    ],
  },
  {
    title: 'an applicant looks up an application (条例第三十三条: the applicant follows the time limit)',
    who: 'anonymous',
    page: () => '/track',
    action: () => '/track',
    valid: () => ({ number: ids.applicationNumber, queryCode: ids.queryCode }),
    keep: 'number',
    ok: 200,
    bad: [{ why: 'empty query code', values: { queryCode: '' }, field: 'queryCode' }],
  },
  {
    title: 'staff register an application received in person or by post (条例第三十一条: the day of receipt)',
    who: 'handler',
    page: () => '/console/applications/new',
    action: () => '/console/applications',
    valid: () => ({ ...person, channel: 'in_person', receivedOn: '2026-03-02' }),
    keep: 'address',
    bad: [
      { why: 'no channel', values: { channel: '' }, field: 'channel' },
      { why: 'date in wrong format', values: { receivedOn: '2026-13-45' }, field: 'receivedOn' },
      { why: 'empty name', values: { name: '' }, field: 'name' },
    ],
  },
  {
    title: 'a drafter writes an item (条例第二十条; GB/T 信息公开目录 fields)',
    who: 'drafter',
    page: () => '/console/items/new',
    action: () => '/console/items',
    valid: () => ({
      columnId: String(t.officeId && 1),
      title: '关于开展政务公开培训的通知',
      formedOn: '2026-03-01',
      validity: 'valid',
      body: '定于本月开展政务公开业务培训。',
    }),
    keep: 'body',
    bad: [
      { why: 'empty title', values: { title: '' }, field: 'title' },
      { why: 'too long title', values: { title: long(300) }, field: 'title' },
      { why: 'date in wrong format', values: { writtenOn: '2026-02-30x' }, field: 'writtenOn' },
    ],
    afterValid: (location) => (ids.item = Number(/\/console\/items\/(\d+)/.exec(location)?.[1])),
  },
  {
    title: 'a reviewer decides (条例第十七条: 先审查后公开)',
    who: 'reviewer',
    page: () => `/console/items/${ids.item}`,
    action: () => `/console/items/${ids.item}/review`,
    valid: () => ({
      decision: 'approved',
      checks: ['political', 'legal', 'confidentiality', 'wording', 'opinionRisk'],
      reason: '同意公开',
    }),
    keep: 'reason',
    bad: [
      // The decision is the button pressed; the ticks of the five checks must all be there to approve.
      { why: 'a check not ticked', values: { checks: ['political', 'legal'] }, field: 'checks' },
    ],
  },
  {
    title: 'the annual report narrative (条例第五十条: 年度报告的内容)',
    who: 'drafter',
    page: () => `/console/reports/${ids.report}`,
    action: () => `/console/reports/${ids.report}/narrative`,
    valid: () => ({ overview: '本机关认真贯彻落实条例。', problems: '', other: '' }),
    keep: 'overview',
    bad: [{ why: 'too long', values: { problems: long(50_001) }, field: 'problems' }],
  },
  {
    title: 'request settings (条例第四十二条 and 国办函〔2020〕109号: the 复议 body and fees)',
    who: 'office_head',
    page: () => '/console/request-settings',
    action: () => '/console/request-settings',
    valid: () => ({
      reconsiderationBody: '重庆市垫江县人民政府',
      frequentThreshold: '10',
      referencePattern: '',
      // The fee steps below need it: a 收费通知书 states how to pay (国办函〔2020〕109号).
      feePayment: '通过非税收入缴款系统缴纳，执收单位：垫江县人民政府办公室',
    }),
    keep: 'reconsiderationBody',
    bad: [{ why: 'not a number', values: { frequentThreshold: '十' }, field: 'frequentThreshold' }],
  },
  {
    title: 'the 指南 settings (条例第十二条: 受理机构名称、地址、办公时间、联系电话)',
    who: 'office_head',
    page: () => '/console/guide',
    action: () => '/console/guide',
    valid: () => ({
      officeName: '垫江县人民政府办公室政务公开科',
      address: '垫江县桂溪街道人民东路 1 号',
      postcode: '408300',
      hours: '工作日 9:00—12:00，14:00—17:00',
      phone: '023-74680000',
      fax: '',
      email: '',
      reviewBody: '',
      complaints: '',
      notes: '',
    }),
    keep: 'officeName',
    bad: [
      { why: 'wrong postcode', values: { postcode: '4083' }, field: 'postcode' },
      { why: 'too long hours', values: { hours: long(121) }, field: 'hours' },
      { why: 'empty address', values: { address: '' }, field: 'address' },
      { why: 'wrong e-mail', values: { email: '不是邮箱' }, field: 'email' },
    ],
  },
  {
    title: 'the portal footer (国办发〔2017〕47号: 主办单位、网站标识码、ICP备案号)',
    who: 'sysadmin',
    page: () => '/console/site',
    action: () => '/console/site',
    valid: () => ({
      host: '垫江县人民政府办公室',
      organiser: '垫江县大数据发展中心',
      address: '垫江县桂溪街道人民东路 1 号',
      phone: '023-74680000',
      email: '',
      siteCode: '5002310001',
      icp: '渝ICP备05003300号-1',
      police: '',
    }),
    keep: 'organiser',
    bad: [
      { why: 'empty host', values: { host: '' }, field: 'host' },
      { why: 'wrong site code', values: { siteCode: 'abc' }, field: 'siteCode' },
      { why: 'wrong e-mail', values: { email: 'x@' }, field: 'email' },
    ],
  },
  {
    title: 'the system administrator creates an account (GB/T 22239-2019: 三员分立, unique usernames)',
    who: 'sysadmin',
    page: () => '/console/accounts',
    action: () => '/console/accounts',
    valid: () => ({ agencyId: String(t.officeId), username: 'zhangsan', displayName: '张三', email: 'zs@example.cn' }),
    keep: 'displayName',
    ok: 201, // the page saying where the link to set the password went (mail is configured below)
    bad: [
      { why: 'empty username', values: { username: '' }, field: 'username' },
      { why: 'wrong username', values: { username: '张三 ' }, field: 'username' },
      { why: 'too long name', values: { username: 'lisi', displayName: long(200) }, field: 'displayName' },
      { why: 'wrong e-mail', values: { email: 'zs@' }, field: 'email' },
    ],
  },
  {
    title: 'the security policy (GB/T 22239-2019 8.1.4.1: 口令复杂度、登录失败处理)',
    who: 'secadmin',
    page: () => '/console/security',
    action: () => '/console/security',
    valid: () => ({
      profile: 'dengbao',
      minLength: '12',
      minClasses: '3',
      maxAgeDays: '90',
      historyCount: '5',
      lockoutThreshold: '5',
      lockoutMinutes: '20',
      idleMinutes: '30',
      adminIdleMinutes: '15',
      absoluteHours: '12',
      temporaryPasswordHours: '72',
      totpForAdmins: 'on',
    }),
    keep: 'lockoutMinutes',
    bad: [
      { why: 'not a number', values: { minLength: '十二' }, field: 'minLength' },
      { why: 'empty', values: { idleMinutes: '' }, field: 'idleMinutes' },
    ],
  },
  {
    title: 'a year of the working-day calendar (条例第三十三条: 工作日 by the 国务院 holiday notice)',
    who: 'sysadmin',
    page: () => '/console/calendar',
    action: () => '/console/calendar',
    valid: () => ({
      year: '2027',
      source: '国务院办公厅关于2027年部分节假日安排的通知',
      holidays: '2027-01-01',
      makeupWorkdays: '',
    }),
    keep: 'source',
    bad: [
      { why: 'not a year', values: { year: '明年' }, field: 'year' },
      { why: 'date in wrong format', values: { holidays: '一月一日' }, field: 'holidays' },
    ],
  },
  {
    title: 'a 复议 or 诉讼 is recorded (条例第五十一条; 年度报告 table 四)',
    who: 'handler',
    page: () => '/console/appeals',
    action: () => '/console/appeals',
    valid: () => ({
      kind: 'reconsideration',
      filedOn: '2026-03-01',
      applicationNumber: ids.applicationNumber,
      note: '申请人不服答复',
    }),
    keep: 'note',
    bad: [
      { why: 'no kind', values: { kind: '' }, field: 'kind' },
      { why: 'date in wrong format', values: { filedOn: '昨天' }, field: 'filedOn' },
    ],
  },
  {
    title: 'an activity record for the annual report (条例第二十条: 行政许可等事项)',
    who: 'drafter',
    page: () => '/console/activities',
    action: () => '/console/activities/powers',
    valid: () => ({ 事项类型: '行政许可', 事项名称: '律师事务所设立许可', 生效日期: '2019-01-01', 失效日期: '' }),
    keep: '事项名称',
    bad: [{ why: 'date in wrong format', values: { 生效日期: '二〇一九年' }, field: '生效日期' }],
  },
  {
    title: 'the office head adds a column (条例第二十条: 主动公开的栏目; the class sets its update rule)',
    who: 'office_head',
    page: () => '/console/columns',
    action: () => '/console/columns',
    valid: () => ({ name: '重点领域信息', class: 'other', parentId: '' }),
    keep: 'name',
    bad: [
      { why: 'no class', values: { class: '' }, field: 'class' },
      { why: 'too short name', values: { name: '政' }, field: 'name' },
      { why: 'too long name', values: { name: long(31) }, field: 'name' },
    ],
  },
  {
    title: 'the office head renames a column (条例第二十条: 主动公开的栏目)',
    who: 'office_head',
    page: () => '/console/columns',
    action: () => `/console/columns/${ids.column}`,
    valid: () => ({ name: '政策文件解读' }),
    keep: 'name',
    bad: [
      { why: 'an empty name', values: { name: '' }, field: 'name' },
      { why: 'a name too long', values: { name: long(60) }, field: 'name' },
    ],
  },
  {
    title: 'the office head adds a channel (条例第二十三条: 政府公报、政府网站、政务新媒体 …)',
    who: 'office_head',
    page: () => '/console/channels',
    action: () => '/console/channels',
    valid: () => ({ name: '“法治垫江”微信公众号', kind: 'wechat' }),
    keep: 'name',
    bad: [
      { why: 'no kind', values: { kind: '' }, field: 'kind' },
      { why: 'too long name', values: { name: long(41), kind: 'wechat' }, field: 'name' },
    ],
  },
  {
    title: "the office head sets the units' quota (信息报送: 每月最少条数)",
    who: 'office_head',
    page: () => '/console/quotas',
    action: () => '/console/quotas',
    valid: () => ({ perMonth: '1' }),
    keep: 'perMonth',
    bad: [
      { why: 'not a number', values: { perMonth: '一' }, field: 'perMonth' },
      { why: 'negative', values: { perMonth: '-1' }, field: 'perMonth' },
      { why: 'too many', values: { perMonth: '101' }, field: 'perMonth' },
    ],
  },
  {
    title: 'the office head sets the review levels (条例第十七条: 先审查后公开, 保密审查)',
    who: 'office_head',
    page: () => '/console/review-levels',
    action: () => '/console/review-levels',
    valid: () => ({ levels: '科室审核\n分管领导审核', confidentialityLevel: '1' }),
    keep: 'levels',
    bad: [
      { why: 'too long level name', values: { levels: `${long(11)}\n分管领导审核` }, field: 'levels' },
      { why: 'six levels', values: { levels: '一\n二\n三\n四\n五\n六' }, field: 'levels' },
    ],
  },
  {
    title: 'the office head sets the index-number format (条例第十二条: 索引号; GB/T 信息公开目录)',
    who: 'office_head',
    page: () => '/console/index-format',
    action: () => '/console/index-format',
    valid: () => ({ prefix: 'uscc', custom: '', period: 'year' }),
    keep: 'custom',
    bad: [
      { why: 'custom prefix missing', values: { prefix: 'custom', custom: '' }, field: 'custom' },
      { why: 'custom prefix in wrong format', values: { prefix: 'custom', custom: '垫江/01' }, field: 'custom' },
      { why: 'no period', values: { period: '' }, field: 'period' },
    ],
  },
  {
    title: 'the system administrator creates an agency (条例第二十九条: 统一社会信用代码)',
    who: 'sysadmin',
    page: () => '/console/agencies',
    action: () => '/console/agencies',
    valid: () => ({
      name: '垫江县交通运输委员会',
      creditCode: '91350100M000100Y43',
      level: '县级',
      kind: '政府部门',
      parentId: '',
    }),
    keep: 'name',
    bad: [
      { why: 'wrong credit code', values: { creditCode: '91350100M000100Y44' }, field: 'creditCode' },
      { why: 'too long name', values: { name: long(61) }, field: 'name' },
      { why: 'no level', values: { level: '' }, field: 'level' },
    ],
    afterValid: (location) => (ids.agency = Number(/\/console\/agencies\/(\d+)/.exec(location)?.[1])),
  },
  {
    title: 'the system administrator creates a unit of an agency (科室、所、下属单位)',
    who: 'sysadmin',
    page: () => `/console/agencies/${ids.agency}`,
    action: () => `/console/agencies/${ids.agency}/units`,
    valid: () => ({ name: '综合科', kind: '科室' }),
    keep: 'name',
    bad: [
      { why: 'no kind', values: { kind: '' }, field: 'kind' },
      { why: 'control character in name', values: { name: '综合\u202e科' }, field: 'name' },
    ],
  },
  {
    title:
      'the supervising office head sets how section 四 counts a case spanning two years (条例第五十条; 国办公开办函〔2021〕30号)',
    who: 'office_head',
    page: () => '/console/report-settings',
    action: () => '/console/report-settings',
    valid: () => ({ appealsCountedBy: 'conclusionYear' }),
    // Nothing typed to keep: the choice is a radio group, and no choice is the bad input.
    bad: [{ why: 'no choice', values: { appealsCountedBy: '' }, field: 'appealsCountedBy' }],
  },
  {
    title: 'a staff member changes the password (GB/T 22239-2019 8.1.4.1: 口令复杂度)',
    who: 'reviewer',
    page: () => '/console/password',
    action: () => '/console/password',
    valid: () => ({ current: strongPassword, next: 'Gongkai-Review#2027x', confirm: 'Gongkai-Review#2027x' }),
    // No keep: passwords are never sent back in a page.
    bad: [
      { why: 'empty current password', values: { current: '' }, field: 'current' },
      { why: 'confirmation differs', values: { confirm: 'Gongkai-Review#2028x' }, field: 'confirm' },
      { why: 'too long', values: { next: 'a'.repeat(257) }, field: 'next' },
    ],
  },
  {
    title: 'a 复议 or 诉讼 is concluded (条例第五十一条; 年度报告 table 四: 审结结果)',
    who: 'handler',
    page: () => '/console/appeals',
    action: () => `/console/appeals/${ids.appeal}/conclude`,
    before: async () => {
      const page = await app.inject({ url: '/console/appeals', headers: { cookie: sessions.get('handler')!.cookie } })
      ids.appeal = Number(/action="\/console\/appeals\/(\d+)\/conclude"/.exec(page.body)?.[1])
    },
    valid: () => ({ rawResult: '维持', concludedOn: '2026-03-02' }),
    keep: 'concludedOn',
    bad: [
      { why: 'a date in words', values: { concludedOn: '昨天' }, field: 'concludedOn' },
      { why: 'a date in the future', values: { concludedOn: '2099-01-01' }, field: 'concludedOn' },
    ],
  },
  step('correction', '补正 is asked for (条例第三十条: 一次性告知需要补正的事项和合理的补正期限)', {
    valid: { on: '2026-03-02', correctBy: '2026-03-16', what: '请补充所需信息的文件名称或者文号' },
    keep: 'what',
    bad: [
      { why: 'empty matter', values: { what: '' }, field: 'what' },
      { why: 'too long matter', values: { what: long(1001) }, field: 'what' },
      { why: 'date in wrong format', values: { correctBy: '两周后' }, field: 'correctBy' },
    ],
  }),
  step('consultation', 'a third party is consulted (条例第三十二条: 书面征求第三方的意见)', {
    valid: { on: '2026-03-02', party: 'thirdParty', to: '重庆垫江恒达建材有限公司' },
    keep: 'to',
    bad: [
      { why: 'no party', values: { party: '' }, field: 'party' },
      { why: 'empty addressee', values: { to: '' }, field: 'to' },
      { why: 'date in wrong format', values: { on: '三月二日' }, field: 'on' },
    ],
  }),
  step('extension', 'the time limit is extended (条例第三十三条第二款: 延长期限最长不得超过20个工作日)', {
    who: 'office_head', // 负责人同意
    valid: { on: '2026-03-02', days: '20', reason: '申请内容涉及多个部门，需协调核实' },
    keep: 'reason',
    bad: [
      { why: 'too many days', values: { days: '21' }, field: 'days' },
      { why: 'not a number', values: { days: '十' }, field: 'days' },
      { why: 'empty reason', values: { reason: '' }, field: 'reason' },
    ],
  }),
  step('fee', 'a fee is notified (国办函〔2020〕109号: 按件或者按量计收)', {
    valid: { on: '2026-03-02', method: 'volume', pages: '40', delivery: 'electronic', receivedByApplicantOn: '' },
    keep: 'pages',
    bad: [
      { why: 'no method', values: { method: '' }, field: 'method' },
      { why: 'no delivery', values: { delivery: '' }, field: 'delivery' },
      { why: 'date in wrong format', values: { receivedByApplicantOn: '下周' }, field: 'receivedByApplicantOn' },
    ],
  }),
  step('decide', 'the reply is decided (条例第三十六条: 答复的类型)', {
    valid: { on: '2026-03-02', outcome: 'GRANTED', replyType: '2', basis: '' },
    keep: 'basis',
    bad: [
      { why: 'no outcome', values: { outcome: '', basis: '条例第三十六条第二项' }, field: 'outcome' },
      { why: 'no reply type', values: { replyType: '', basis: '条例第三十六条第二项' }, field: 'replyType' },
      { why: 'too long basis', values: { basis: long(2001) }, field: 'basis' },
    ],
  }),
  {
    title: 'a letter draft is edited (条例第三十条: 补正告知书; the text as typed is kept when refused)',
    who: 'handler',
    page: () => `/console/applications/${ids.letter.application}`,
    action: () => `/console/applications/${ids.letter.application}/letters/${ids.letter.id}`,
    before: async () => {
      // A 补正 asked for on a fresh application leaves a 补正告知书 draft to edit.
      const application = await buildApplication(t.deps)
      const handler = sessions.get('handler')!
      const asked = await app.inject({
        method: 'POST',
        url: `/console/applications/${application.id}/correction`,
        headers: { cookie: handler.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ _csrf: handler.csrf, on: '2026-03-02', correctBy: '2026-03-16', what: '请补充文件名称' }),
      })
      expect(asked.statusCode).toBe(303)
      const page = await app.inject({
        url: `/console/applications/${application.id}`,
        headers: { cookie: handler.cookie },
      })
      const letterId = Number(/action="\/console\/applications\/\d+\/letters\/(\d+)"/.exec(page.body)?.[1])
      ids.letter = { application: application.id, id: letterId }
    },
    valid: () => ({ do: 'save', body: '李明华：\n请于2026年3月16日前补充所需信息的文件名称。' }),
    keep: 'body',
    ok: 200, // the application page again, with 文书已保存
    bad: [
      { why: 'empty text', values: { body: '' }, field: 'body' },
      { why: 'too long text', values: { body: long(20_001) }, field: 'body' },
    ],
  },
  {
    title: 'an earlier annual report is imported by pasting its text (条例第五十条: 年度报告)',
    who: 'drafter',
    page: () => '/console/reports',
    action: () => '/console/reports/import',
    // Another agency's report asks for the confirmation, which is ticked here (test/report-pages.test.ts).
    valid: () => ({ text: dianjiang, confirmAgency: 'on' }),
    keep: 'text',
    bad: [
      { why: 'empty text', values: { text: '' }, field: 'text' },
      { why: 'too short text', values: { text: '垫江县人民政府办公室2020年政府信息公开工作年度报告' }, field: 'text' },
      { why: 'not a report', values: { text: long(80) }, field: 'text' },
    ],
  },
  {
    title: 'the applicant answers a 补正 online (条例第三十条: 申请人补正)',
    who: 'anonymous',
    page: () => '/track',
    action: () => '/track/correction',
    multipart: true,
    before: async () => {
      const application = await buildApplication(t.deps)
      const handler = sessions.get('handler')!
      const asked = await app.inject({
        method: 'POST',
        url: `/console/applications/${application.id}/correction`,
        headers: { cookie: handler.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ _csrf: handler.csrf, on: '2026-03-02', correctBy: '2026-03-16', what: '请补充文件名称' }),
      })
      expect(asked.statusCode).toBe(303)
      ids.corrected = { number: application.number, queryCode: application.queryCode }
    },
    valid: () => ({ ...ids.corrected, text: '所需信息为《垫江县老旧小区改造资金管理办法》（垫府发〔2025〕12号）' }),
    keep: 'text',
    ok: 200, // the status page with 补正已提交
    bad: [
      { why: 'too long text', values: { text: long(maxAnswerLength + 1) }, field: 'text' },
      {
        why: 'a file of the wrong kind',
        values: {},
        field: 'file',
        file: { name: '补正.exe', content: Buffer.from('MZ') },
      },
      {
        why: 'a file over 10 MB',
        values: {},
        field: 'file',
        file: { name: '补正.pdf', content: Buffer.alloc(10 * 1024 * 1024 + 1, 0x41) },
      },
    ],
  },
]

/** The page's form posting to `action`: its hidden fields (idem, proof of work) to send back. */
function hiddenFields(html: string, action: string): Record<string, string> {
  const $ = cheerio.load(html)
  const hidden: Record<string, string> = {}
  $(`form[action="${action}"] input[type="hidden"]`).each((_, e) => {
    const name = $(e).attr('name')
    if (name && name !== '_csrf') hidden[name] = $(e).attr('value') ?? ''
  })
  if (hidden.powChallenge) hidden.powNonce = solveChallenge(hidden.powChallenge)
  return hidden
}

/** The message shown beside a field (its .field box or fieldset), else the page's error summary. */
function messageBeside(html: string, field: string, action: string): { beside: string; summary: string } {
  const $ = cheerio.load(html)
  // The field of the form that was posted, not a list's filter box (or another row's form) of the same name.
  const inAction = $(`form[method="post"][action="${action}"] [name="${field}"]`)
  const posted = inAction.length ? inAction : $(`form[method="post"] [name="${field}"]`)
  const input = (posted.length ? posted : $(`[name="${field}"]`)).first()
  const box = input.closest('.field, fieldset').find('.error').text().trim()
  // Else the message the box names as describing it (aria-describedby), e.g. the letter editor's.
  const described = (input.attr('aria-describedby') ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => $(`[id="${id}"].error`).text().trim())
    .join('')
  return { beside: box || described, summary: $('[role="alert"]').text().trim() }
}

function keptValue(html: string, field: string, action: string): string | undefined {
  const $ = cheerio.load(html)
  const inAction = $(`form[method="post"][action="${action}"] [name="${field}"]`)
  const el = (inAction.length ? inAction : $(`[name="${field}"]`)).first()
  if (el.is('textarea')) return el.text()
  if (el.is('select')) return el.find('option[selected]').attr('value')
  return el.attr('value')
}

async function submit(spec: FormSpec, values: Fields, file?: { name: string; content: Buffer }) {
  const s = sessions.get(spec.who)!
  const page = await app.inject({ url: spec.page(), headers: { cookie: s.cookie } })
  expect(page.statusCode, spec.page()).toBe(200)
  const fields = { _csrf: s.csrf, ...hiddenFields(page.body, spec.action()), ...values }
  if (spec.multipart) {
    const m = multipart(fields as Record<string, string>, file)
    return app.inject({
      method: 'POST',
      url: spec.action(),
      headers: { cookie: s.cookie, 'content-type': m.contentType },
      payload: m.payload,
    })
  }
  return app.inject({
    method: 'POST',
    url: spec.action(),
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(fields),
  })
}

describe.each(databaseKinds)('every form on %s', (kind) => {
  beforeAll(async () => {
    // Mail configured, as the console's account creation needs (issue #14); no mail worker runs here.
    t = await testApp(kind, { env: { SMTP_URL: 'smtp://127.0.0.1:2525', PUBLIC_URL: 'https://gk.example.gov.cn' } })
    app = t.app
    sessions.clear()
    sessions.set('anonymous', await anonymousSession(app))
    const roles: Role[] = ['drafter', 'reviewer', 'handler', 'office_head', 'sysadmin', 'secadmin']
    for (const role of roles) sessions.set(role, await signIn(app, await buildStaff(t.deps, { roles: [role] })))
    const application = await buildApplication(t.deps)
    ids.applicationNumber = application.number
    ids.queryCode = application.queryCode
    const drafter = sessions.get('drafter')!
    const computed = await app.inject({
      method: 'POST',
      url: '/console/reports',
      headers: { cookie: drafter.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ _csrf: drafter.csrf, year: '2025' }),
    })
    ids.report = Number(/\/console\/reports\/(\d+)/.exec(String(computed.headers.location))?.[1])
    const head = sessions.get('office_head')!
    const columns = await app.inject({ url: '/console/columns', headers: { cookie: head.cookie } })
    ids.column = Number(/action="\/console\/columns\/(\d+)"/.exec(columns.body)?.[1])
  }, 60_000)
  afterAll(async () => {
    await t?.close()
  })

  for (const spec of specs) {
    test(`${spec.title}: bad input is answered in Chinese beside the field with the input kept; the minimum valid input is accepted`, async () => {
      if (spec.title.startsWith('a reviewer')) {
        // The drafter's item from the item form goes to review first.
        const drafter = sessions.get('drafter')!
        const submitted = await app.inject({
          method: 'POST',
          url: `/console/items/${ids.item}/submit`,
          headers: { cookie: drafter.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: form({ _csrf: drafter.csrf }),
        })
        expect(submitted.statusCode).toBe(303)
      }
      await spec.before?.()
      for (const bad of spec.bad) {
        const sent = { ...spec.valid(), ...bad.values }
        const res = await submit(spec, sent, bad.file)
        expect(res.statusCode, `${bad.why}: ${res.body.slice(0, 200)}`).toBe(422)
        const { beside, summary } = messageBeside(res.body, bad.field, spec.action())
        expect(beside, `${bad.why}: a message beside ${bad.field} (summary: ${summary})`).toMatch(han)
        expect(beside, bad.why).not.toMatch(english)
        if (spec.keep)
          expect(keptValue(res.body, spec.keep, spec.action()), `${bad.why}: ${spec.keep} kept`).toBe(sent[spec.keep])
      }
      const res = await submit(spec, spec.valid())
      expect(res.statusCode, cheerio.load(res.body)('main').text().slice(0, 400)).toBe(spec.ok ?? 303)
      spec.afterValid?.(String(res.headers.location))
    })
  }
})
