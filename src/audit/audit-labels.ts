import { roleLabels } from '../accounts/roles.ts'
import { isRole } from '../accounts/roles.ts'

// What the audit log's codes mean, in the words staff use (issue #12: no internal code shown to a user). The log keeps
// the codes (they are what the chain signs and what exports filter on); pages and exports show these labels beside
// them. A test reads every action the source can write and fails on one without a label here.

export const actionLabels = {
  // Accounts, sessions and security (等保 2.0 §8.1.4).
  setup: '初始化平台',
  login: '登录',
  'login.password_ok': '登录（密码已验证，待动态验证码）',
  logout: '退出登录',
  'session.timeout': '会话超时',
  'session.end_all': '结束全部会话',
  'account.create': '创建账号',
  'account.disable': '停用账号',
  'account.enable': '启用账号',
  'account.lock': '账号锁定',
  'account.unlock': '解除锁定',
  'account.password_change': '修改密码',
  'account.password_reset': '重置密码',
  'account.password_reset_link': '发送密码重置链接',
  'account.password_reset_done': '凭重置链接设置密码',
  'account.email': '登记本人邮箱',
  'account.roles': '调整角色',
  'account.totp_enrol': '绑定动态验证码',
  'account.totp_secret': '重置动态验证码',
  'security_policy.update': '修改安全策略',
  'permission.deny': '越权访问被拒绝',
  'csrf.reject': '跨站请求被拒绝',
  'rate_limit.block': '请求过于频繁被拦截',
  'file.malware': '文件病毒检查',
  'audit.read': '查阅审计日志',
  'audit.export': '导出审计日志',
  'audit.verify': '校验审计链',
  'backup.create': '创建备份',
  'backup.restore': '恢复备份',
  // The region and its agencies.
  'agency.create': '新增机关',
  'unit.create': '新增单位',
  'calendar.year': '录入节假日安排',
  // Proactive disclosure.
  'item.create': '起草信息',
  'item.update': '修改信息',
  'item.submit': '提交信息审核',
  'item.attach': '上传附件',
  'item.detach': '删除附件',
  'item.publish': '发布信息',
  'item.scan_block': '保密审查发现问题，未发布',
  'item.quarantine': '发现密级标志，信息已隔离',
  'item.findings_clear': '解除保密审查发现',
  'item.return': '退回起草人修改',
  'item.withdraw': '撤回信息',
  'item.validity': '标注废止或失效',
  'item.channel': '登记其他渠道发布',
  'item.schedule': '设置定时发布',
  'item.unschedule': '取消定时发布',
  'item.import': '导入旧网站信息',
  'review.approve': '审核通过',
  'review.return': '审核退回',
  'review_config.update': '设置审核级别',
  'column.create': '新增栏目',
  'column.rename': '栏目改名',
  'channel.create': '新增发布渠道',
  'quota.update': '设置信息报送任务',
  'guide.update': '修改公开指南',
  'index_format.update': '设置索引号格式',
  // The public site's footer (国办发〔2017〕47号), set by the 系统管理员.
  'site_footer.update': '修改网站底部信息',
  // Disclosure on request.
  'application.received': '收到申请',
  'application.take': '领办申请',
  'application.file_add': '申请人上传材料',
  'application.file_open': '查看申请人材料',
  'application.reveal': '查看申请人完整个人信息',
  'application.search_by_name': '按申请人姓名查找申请',
  'application.purge': '删除到期的申请人个人信息',
  'letter.draft': '起草文书',
  'letter.edit': '修改文书',
  'letter.issue': '印发文书',
  'appeal.record': '登记行政复议或诉讼',
  'appeal.conclude': '登记复议或诉讼结果',
  'requests.settings': '修改依申请公开设置',
  'requests.fee_pause': '设置收费期间是否停止计时',
  // The annual report.
  'report.create': '计算年度报告',
  'report.recompute': '重新计算年度报告',
  'report.narrative': '修改年度报告文字部分',
  'report.submit': '提交年度报告审核',
  'report.publish': '发布年度报告',
  'report.scan_block': '保密审查发现问题，年度报告未发布',
  'report.quarantine': '发现密级标志，年度报告不能发布',
  'report.findings_clear': '解除年度报告的保密审查发现',
  'report.return': '退回待发布的年度报告',
  'report.import': '导入已发布的年度报告',
  'reports.appeals_counting': '设置第四部分统计口径',
  'activities.add': '登记第二十条活动',
  'activities.import': '导入第二十条活动',
} as const satisfies Record<string, string>

/** The steps of an application's timeline (`application.<kind>` in the log), as its page names them. */
export const applicationStepLabels = {
  received: '收到申请',
  correction_requested: '发出补正通知',
  correction_received: '收到补正',
  concluded_no_correction: '逾期未补正，不再处理',
  consultation_sent: '征求意见',
  consultation_replied: '收到意见',
  extension_approved: '批准延期',
  extension_notified: '印发延长答复期限告知书',
  fee_notified: '发出收费通知',
  fee_notice_received: '申请人收到收费通知',
  fee_paid: '已缴费',
  concluded_no_fee: '逾期未缴费，不再处理',
  delay_set: '确定延迟答复期限',
  reasons_requested: '要求说明理由',
  decided: '作出答复',
  delivered: '送达',
  withdrawn: '申请人撤回',
} as const satisfies Record<string, string>

export type ApplicationStep = keyof typeof applicationStepLabels
/** Every action the log may hold: the type makes a new action without a label a compile error. */
export type AuditAction = keyof typeof actionLabels | `application.${ApplicationStep}`

export const objectTypeLabels: Record<string, string> = {
  agency: '机关',
  unit: '单位',
  user: '账号',
  session: '会话',
  route: '页面',
  setting: '设置',
  calendar: '节假日安排',
  backup: '备份',
  audit_log: '审计日志',
  region: '区域',
  item: '信息',
  column: '栏目',
  channel: '发布渠道',
  application: '申请',
  appeal: '复议诉讼',
  annual_report: '年度报告',
  report: '年度报告',
}

/** The action in words; an action without a label (a test forbids it) shows as 其他操作 with its code. */
export function actionLabel(action: string): string {
  const exact = (actionLabels as Record<string, string>)[action]
  if (exact) return exact
  if (action.startsWith('application.')) {
    const step = (applicationStepLabels as Record<string, string>)[action.slice('application.'.length)]
    if (step) return `依申请公开：${step}`
  }
  return `其他操作（${action}）`
}

export const objectTypeLabel = (type: string | null): string => (type ? (objectTypeLabels[type] ?? type) : '')

/** The roles as stored in an entry ("handler,office_head"), in words. */
export const rolesLabel = (roles: string): string =>
  roles
    .split(/[,，\s]+/)
    .filter(Boolean)
    .map((r) => (isRole(r) ? roleLabels[r] : r))
    .join('、')

/** Every action the filter offers: the labelled ones and the application steps, sorted by their words. */
export const actionChoices = (): { value: string; label: string }[] =>
  [
    ...Object.entries(actionLabels).map(([value, label]) => ({ value, label })),
    ...Object.entries(applicationStepLabels).map(([k, label]) => ({
      value: `application.${k}`,
      label: `依申请公开：${label}`,
    })),
  ]
    .filter((c, i, all) => all.findIndex((x) => x.value === c.value) === i)
    .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'))
