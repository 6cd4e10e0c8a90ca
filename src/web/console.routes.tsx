import type { FastifyInstance } from 'fastify'
import { agencyOf } from '../agencies/agency.service.ts'
import { securityPolicyStanding } from '../settings/security-policy.service.ts'
import { ConsoleHomePage } from './console.views.tsx'
import { pageContext, requireStaff, staffActor } from './request-context.ts'
import { workbenchOf } from '../workbench/workbench.service.ts'

export function consoleRoutes(app: FastifyInstance): void {
  const { keys, config } = app.deps
  app.get('/console', async (request, reply) => {
    const user = requireStaff(request)
    const agency = await agencyOf(app.deps, user.agencyId)
    const query = request.query as { password?: string; totp?: string; taken?: string }
    const todo = await workbenchOf(app.deps, user, staffActor(request))
    const isAdmin = user.roles.some((r) => r === 'sysadmin' || r === 'secadmin' || r === 'auditadmin')
    const setup = { keySource: keys.source, dataDir: config.dataDir, malwareScanCommand: config.malwareScanCommand }
    // The security overview: an administrator is told when the policy is below the 等保 baseline (issue #14).
    const standing = isAdmin ? await securityPolicyStanding(app.deps) : undefined
    return reply.page(
      200,
      <ConsoleHomePage
        ctx={pageContext(request)}
        user={user}
        agency={agency}
        query={query}
        isAdmin={isAdmin}
        todo={todo}
        standing={standing}
        {...setup}
      />,
    )
  })
}
