import type { StaffActor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { writeSetting } from '../settings/settings.store.ts'
import { publicContentChanged } from './public-content.ts'
import { readSiteFooter, siteFooterKey } from './site-settings.ts'
import type { SiteFooter } from './site-settings.ts'

// The 系统管理员's settings of the public site: what the footer of every public page shows
// (国办发〔2017〕47号). Saving them is audited and drops the portal's cached pages at once.

export const siteFooterOf = (deps: Deps): Promise<SiteFooter | undefined> => readSiteFooter(deps.db)

/** Saves the footer settings with their audit entry; every public page changes with them. */
export async function saveSiteFooter(deps: Deps, actor: StaffActor, footer: SiteFooter): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await writeSetting(trx, siteFooterKey, JSON.stringify(footer), actor.id, isoNow(deps.clock))
    await appendAudit(deps, trx, actor, {
      action: 'site_footer.update',
      objectType: 'setting',
      objectId: 'site_footer',
      result: 'success',
      detail: { host: footer.host, siteCode: footer.siteCode, icp: footer.icp, police: footer.police },
    })
    await publicContentChanged(trx)
  })
}
