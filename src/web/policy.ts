import type { Role } from '../accounts/roles.ts'

// Who may call each route (AC-01). Deny is the default: a route missing here answers 403 to
// everyone, and the permission-matrix test fails until it is declared.
//   'public'  anyone, signed in or not
//   'staff'   any signed-in staff account (password changed and TOTP enrolled where required)
//   'self'    any signed-in account, even one that must still change its password or enrol TOTP
//   roles     signed-in accounts holding one of these roles

export type Access = 'public' | 'staff' | 'self' | readonly Role[]

export const policy: Readonly<Record<string, Access>> = {
  'GET /': 'public',
  'GET /healthz': 'public',
  'GET /assets/*': 'public',
  // The rich-text editor's files (issue #12), published code like the rest of /assets.
  'GET /assets/quill/:version/:file': 'public',
  'GET /setup': 'public',
  'POST /setup': 'public',
  'GET /login': 'public',
  'POST /login': 'public',
  'GET /login/totp': 'public',
  'POST /login/totp': 'public',
  'POST /logout': 'self',
  // A one-time reset link (issue #14): whoever holds it sets the account's password, once.
  'GET /password-reset': 'public',
  'POST /password-reset': 'public',
  // The portal's 年度报告 column: published reports only.
  'GET /reports': 'public',
  'GET /reports/:id': 'public',
  'GET /reports/:id/download/:kind': 'public',
  'GET /agencies/:id': 'public',
  'GET /columns/:id': 'public',
  'GET /items/:id': 'public',
  'GET /search': 'public',
  'GET /agencies/:id/guide': 'public',
  'GET /agencies/:id/catalogue': 'public',
  'GET /catalogue': 'public',
  // The region's pages behind the home page's entry points (issue #12).
  'GET /guide': 'public',
  'GET /rules': 'public',
  'GET /statutory': 'public',
  'GET /apply': 'public',
  'GET /items/:id/attachments/:attachmentId': 'public',
  'GET /columns/:id/feed.xml': 'public',
  'GET /sitemap.xml': 'public',
  'GET /sitemaps/:n': 'public',
  // Disclosure on request, the citizen's side: the form, the receipt, the status by number and code.
  'GET /agencies/:id/apply': 'public',
  'POST /agencies/:id/apply': 'public',
  'POST /apply/receipt': 'public',
  'GET /track': 'public',
  'POST /track': 'public',
  'POST /track/letters/:id': 'public',
  'POST /track/files': 'public',
  'POST /track/correction': 'public',

  'GET /console': 'staff',
  'GET /console/password': 'self',
  'POST /console/password': 'self',
  'GET /console/totp': 'self',
  'POST /console/totp': 'self',
  'GET /console/email': 'staff',
  'POST /console/email': 'staff',

  // 系统管理员: agencies, units and accounts.
  'GET /console/agencies': ['sysadmin'],
  'POST /console/agencies': ['sysadmin'],
  'GET /console/agencies/:id': ['sysadmin'],
  'POST /console/agencies/:id/units': ['sysadmin'],
  'GET /console/accounts': ['sysadmin'],
  'GET /console/calendar': ['sysadmin'],
  'POST /console/calendar': ['sysadmin'],
  'POST /console/calendar/fee-pause': ['sysadmin'],
  'POST /console/accounts': ['sysadmin'],
  'POST /console/accounts/:id/disable': ['sysadmin'],
  'POST /console/accounts/:id/enable': ['sysadmin'],
  'POST /console/accounts/:id/reset-password': ['sysadmin'],
  // The public site's footer: 主办单位, contact, 网站标识码 and filing numbers (国办发〔2017〕47号).
  'GET /console/site': ['sysadmin'],
  'POST /console/site': ['sysadmin'],

  // 安全管理员: security policy, roles, locks and sessions.
  'GET /console/security': ['secadmin'],
  'POST /console/security': ['secadmin'],
  'GET /console/security/accounts': ['secadmin'],
  'POST /console/security/accounts/:id/roles': ['secadmin'],
  'POST /console/security/accounts/:id/unlock': ['secadmin'],
  'POST /console/security/accounts/:id/end-sessions': ['secadmin'],

  // 审计管理员: reads the audit log and nothing else.
  'GET /console/audit': ['auditadmin'],
  'GET /console/audit/export': ['auditadmin'],

  // 监督人: the whole region, read only.
  'GET /console/region': ['supervisor'],
  'GET /console/region/export.:ext': ['supervisor'],
  'GET /console/region/dashboard': ['supervisor'],
  // Long-running work: the agency's staff follow the jobs they and their colleagues started.
  'GET /console/jobs': 'staff',
  'GET /console/jobs/:id': 'staff',
  'GET /console/jobs/:id/file': 'staff',
  'GET /console/dashboard': ['drafter', 'reviewer', 'publisher', 'handler', 'office_head'],
  'GET /console/region/reports': ['supervisor'],
  'GET /console/region/reports/cell': ['supervisor'],
  'GET /console/region/reports/:id/cell': ['supervisor'],

  // Proactive disclosure: drafters write, reviewers sign their level, publishers publish; the
  // office head may withdraw too. Each sees only its own agency's items (disclosure.service.ts).
  'GET /console/items': ['drafter', 'reviewer', 'publisher', 'office_head'],
  'GET /console/items/new': ['drafter'],
  'POST /console/items': ['drafter'],
  // The body as the portal will show it, from the drafter's form; nothing is stored (issue #12).
  'POST /console/items/preview': ['drafter'],
  'GET /console/items/:id': ['drafter', 'reviewer', 'publisher', 'office_head'],
  'POST /console/items/:id': ['drafter'],
  'POST /console/items/:id/submit': ['drafter'],
  'POST /console/items/:id/review': ['reviewer'],
  'POST /console/items/:id/publish': ['publisher'],
  'POST /console/items/:id/schedule': ['publisher'],
  'POST /console/items/:id/withdraw': ['publisher', 'office_head'],
  'POST /console/items/:id/validity': ['publisher', 'office_head'],
  'POST /console/items/:id/clear-findings': ['reviewer'],
  'POST /console/items/:id/return': ['reviewer', 'publisher', 'office_head'],
  'POST /console/items/:id/channels': ['drafter', 'publisher'],
  'POST /console/items/:id/attachments': ['drafter'],
  'POST /console/items/:id/attachments/:attachmentId/delete': ['drafter'],
  'GET /console/items/:id/attachments/:attachmentId': ['drafter', 'reviewer', 'publisher', 'office_head'],
  'GET /console/columns/health': ['drafter', 'reviewer', 'publisher', 'office_head'],
  'GET /console/region/columns': ['supervisor'],
  // The office head sets the agency's guide data and its review levels.
  'GET /console/guide': ['office_head'],
  'POST /console/guide': ['office_head'],
  'GET /console/review-levels': ['office_head'],
  // The region's report counting rule: the supervising office's head only (report-settings.service.ts).
  'GET /console/report-settings': ['office_head'],
  'POST /console/report-settings': ['office_head'],
  'GET /console/index-format': ['office_head'],
  'POST /console/index-format': ['office_head'],
  'GET /console/items/import': ['office_head'],
  'POST /console/items/import': ['office_head'],
  'GET /console/columns': ['office_head'],
  'POST /console/columns': ['office_head'],
  'POST /console/columns/:id': ['office_head'],
  'GET /console/channels': ['office_head'],
  'POST /console/channels': ['office_head'],
  'GET /console/timeliness': ['drafter', 'reviewer', 'publisher', 'office_head'],
  'GET /console/counts': ['drafter', 'reviewer', 'publisher', 'office_head'],
  'GET /console/quotas': ['drafter', 'reviewer', 'publisher', 'office_head'],
  'POST /console/quotas': ['office_head'],
  'POST /console/review-levels': ['office_head'],

  // Annual reports: drafters compute and write them, reviewers sign the review levels, the office
  // head publishes (issue #3); publishers read them. Each sees only its own agency's reports.
  'GET /console/reports': ['drafter', 'reviewer', 'publisher', 'office_head'],
  'POST /console/reports': ['drafter', 'office_head'],
  'POST /console/reports/import': ['drafter', 'office_head'],
  'POST /console/reports/upload': ['drafter', 'office_head'],
  'GET /console/reports/:id': ['drafter', 'reviewer', 'publisher', 'office_head'],
  'POST /console/reports/:id/narrative': ['drafter', 'office_head'],
  'POST /console/reports/:id/submit': ['drafter', 'office_head'],
  'POST /console/reports/:id/review': ['reviewer'],
  'POST /console/reports/:id/publish': ['office_head'],
  'POST /console/reports/:id/clear-findings': ['reviewer'],
  'POST /console/reports/:id/return': ['reviewer', 'office_head'],
  'GET /console/reports/:id/cell': ['drafter', 'reviewer', 'publisher', 'office_head'],
  'GET /console/reports/:id/download/:kind': ['drafter', 'reviewer', 'publisher', 'office_head'],

  // Disclosure on request: handlers work the applications of their agency; the office head approves
  // extensions and art. 35 delays (enforced again in request.service.ts). The supervisor sees queues.
  'GET /console/applications': ['handler', 'office_head'],
  'GET /console/applications/new': ['handler', 'office_head'],
  'POST /console/applications': ['handler', 'office_head'],
  'GET /console/applications/:id': ['handler', 'office_head'],
  'POST /console/applications/:id/reveal': ['handler', 'office_head'],
  'POST /console/applications/:id/take': ['handler'],
  'POST /console/applications/:id/letters/:letterId': ['handler', 'office_head'],
  'GET /console/applications/:id/letters/:letterId/:format': ['handler', 'office_head'],
  'GET /console/applications/:id/files/:fileId': ['handler', 'office_head'],
  'POST /console/applications/:id/:action': ['handler', 'office_head'],
  'GET /console/region/applications': ['supervisor'],
  // Article-20 activity records (section 二 of the report): kept by the office's drafters and head.
  'GET /console/activities': ['drafter', 'office_head'],
  'GET /console/activities/:kind/template.csv': ['drafter', 'office_head'],
  'POST /console/activities/:kind': ['drafter', 'office_head'],
  'POST /console/activities/:kind/import': ['drafter', 'office_head'],
  'GET /console/request-settings': ['office_head'],
  'POST /console/request-settings': ['office_head'],
  'GET /console/appeals': ['handler', 'office_head'],
  'POST /console/appeals': ['handler', 'office_head'],
  'POST /console/appeals/:id/conclude': ['handler', 'office_head'],
}

export const policyKey = (method: string, url: string) => `${method === 'HEAD' ? 'GET' : method} ${url}`
