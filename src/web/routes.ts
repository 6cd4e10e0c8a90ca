import type { FastifyInstance } from 'fastify'
import { accountRoutes } from '../accounts/account.routes.tsx'
import { loginRoutes } from '../accounts/login.routes.tsx'
import { passwordResetRoutes } from '../accounts/password-reset.routes.tsx'
import { securityRoutes } from '../accounts/security.routes.tsx'
import { agencyRoutes } from '../agencies/agency.routes.tsx'
import { auditRoutes } from '../audit/audit.routes.tsx'
import { portalRoutes } from '../portal/portal.routes.tsx'
import { siteSettingsRoutes } from '../portal/site-settings.routes.tsx'
import { portalReportRoutes } from '../portal/reports.routes.tsx'
import { portalItemRoutes } from '../portal/items.routes.tsx'
import { portalSearchRoutes } from '../portal/search.routes.tsx'
import { portalFeedRoutes } from '../portal/feeds.routes.tsx'
import { disclosureRoutes } from '../disclosures/disclosure.routes.tsx'
import { healthRoutes } from '../disclosures/health.routes.tsx'
import { disclosureSettingsRoutes } from '../disclosures/settings.routes.tsx'
import { channelRoutes } from '../disclosures/channels.routes.tsx'
import { columnRoutes } from '../disclosures/columns.routes.tsx'
import { calendarRoutes } from '../deadlines/calendar.routes.tsx'
import { reportRoutes } from '../reports/report.routes.tsx'
import { setupRoutes } from '../setup/setup.routes.tsx'
import { applyRoutes } from '../applications/apply.routes.tsx'
import { applicationRoutes } from '../applications/application.routes.tsx'
import { appealRoutes } from '../applications/appeal.routes.tsx'
import { applicationSettingsRoutes } from '../applications/settings.routes.tsx'
import { activityRoutes } from '../activities/activity.routes.tsx'
import { regionRoutes } from '../region/region.routes.tsx'
import { dashboardRoutes } from '../region/dashboard.routes.tsx'
import { jobRoutes } from '../jobs/jobs.routes.tsx'
import { consoleRoutes } from './console.routes.tsx'
import { assetRoutes } from './assets.routes.tsx'

export async function registerRoutes(app: FastifyInstance): Promise<void> {
  // Pages that show or take personal data or credentials are never cached (OUT-03).
  app.addHook('onSend', async (request, reply) => {
    // The id that the 500 page shows and the log carries, so a report can be matched to its cause.
    reply.header('x-request-id', request.id)
    if (
      !request.url.startsWith('/assets/') &&
      !request.url.startsWith('/reports') &&
      !/^\/(agencies|columns|items)\//.test(request.url) &&
      !/^\/(sitemap\.xml|sitemaps\/\d+\.xml)$/.test(request.url) &&
      request.url !== '/' &&
      !/^\/(guide|rules|statutory|apply)$/.test(request.url) &&
      request.url !== '/healthz'
    )
      reply.header('cache-control', 'no-store')
  })
  for (const routes of [
    // First: its hook gives every public page registered after it the footer settings.
    siteSettingsRoutes,
    portalRoutes,
    portalReportRoutes,
    portalItemRoutes,
    portalSearchRoutes,
    portalFeedRoutes,
    disclosureRoutes,
    healthRoutes,
    disclosureSettingsRoutes,
    channelRoutes,
    columnRoutes,
    calendarRoutes,
    setupRoutes,
    loginRoutes,
    passwordResetRoutes,
    consoleRoutes,
    agencyRoutes,
    accountRoutes,
    securityRoutes,
    auditRoutes,
    reportRoutes,
    applyRoutes,
    applicationRoutes,
    appealRoutes,
    applicationSettingsRoutes,
    activityRoutes,
    regionRoutes,
    dashboardRoutes,
    jobRoutes,
    assetRoutes,
  ]) {
    routes(app)
  }
}
