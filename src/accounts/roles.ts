// The roles of issue #2. Later capabilities add permissions to these roles, not new admin roles.

export const roles = [
  'drafter',
  'reviewer',
  'publisher',
  'handler',
  'office_head',
  'supervisor',
  'sysadmin',
  'secadmin',
  'auditadmin',
] as const
export type Role = (typeof roles)[number]

export const roleLabels: Record<Role, string> = {
  drafter: '起草人',
  reviewer: '审核人',
  publisher: '发布人',
  handler: '依申请公开办理人',
  office_head: '公开办负责人',
  supervisor: '监督人',
  sysadmin: '系统管理员',
  secadmin: '安全管理员',
  auditadmin: '审计管理员',
}

/** 三员分立 (等保 §8.1.5): the three administrators, each only through its own pages. */
export const adminRoles = ['sysadmin', 'secadmin', 'auditadmin'] as const satisfies readonly Role[]
export type AdminRole = (typeof adminRoles)[number]

export const isRole = (value: string): value is Role => (roles as readonly string[]).includes(value)
export const isAdminRole = (role: Role): role is AdminRole => (adminRoles as readonly Role[]).includes(role)

export const maxReviewLevel = 3

/**
 * Why a set of roles may not be held by one account, or undefined when it may. An administrator
 * holds its one role and nothing else: no two administrator roles (等保 §8.1.5), and no business
 * role either, so that no administrator can approve content (AC-04).
 */
export function roleSetProblem(set: readonly Role[]): string | undefined {
  const admins = set.filter(isAdminRole)
  if (admins.length > 1) return '同一账号不得兼任两种管理员角色（三员分立）'
  if (admins.length === 1 && set.length > 1) return `${roleLabels[admins[0] as Role]}不得兼任业务角色`
  return undefined
}
