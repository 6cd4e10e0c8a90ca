import type { FastifyInstance } from 'fastify'
import { agencyOf } from '../agencies/agency.service.ts'
import { ConsoleHomePage } from './console.views.tsx'
import { pageContext, requireStaff } from './request-context.ts'

export function consoleRoutes(app: FastifyInstance): void {
  const { keys, config } = app.deps
  app.get('/console', async (request, reply) => {
    const user = requireStaff(request)
    const agency = await agencyOf(app.deps, user.agencyId)
    const query = request.query as { password?: string; totp?: string }
    const isAdmin = user.roles.some((r) => r === 'sysadmin' || r === 'secadmin' || r === 'auditadmin')
    const setup = { keySource: keys.source, dataDir: config.dataDir, malwareScanCommand: config.malwareScanCommand }
    return reply.page(
      200,
      <ConsoleHomePage
        ctx={pageContext(request)}
        user={user}
        agency={agency}
        query={query}
        isAdmin={isAdmin}
        {...setup}
      />,
    )
  })
}
