import type { StaffActor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { settingsGeneration, writeSetting } from '../settings/settings.store.ts'
import { publicContentChanged, seenSiteGeneration } from './public-content.ts'
import { readSiteFooter, siteFooterKey } from './site-settings.ts'
import type { SiteFooter } from './site-settings.ts'

// The 系统管理员's settings of the public site: what the footer of every public page shows
// (国办发〔2017〕47号). Saving them is audited and drops the portal's cached pages at once.

type KeptFooter = { footer: SiteFooter | undefined; site: number | undefined; settings: number; at: number }
const kept = new WeakMap<object, KeptFooter>()
/** How long a footer is kept when no site generation has been read since (public pages the render cache skips). */
const keptMs = 5000

/**
 * The footer settings, read before every public page renders: kept per Deps while the site generation
 * the render cache last read is the one they were read at (saving them moves it, in any process), no
 * setting was written in this process, and for at most five seconds (issue #15: one query per page).
 * The render cache reads the generation before the footer is asked for, so a page it keeps at a
 * generation never carries an older footer.
 */
export async function siteFooterOf(deps: Deps): Promise<SiteFooter | undefined> {
  const site = seenSiteGeneration(deps.db)
  const settings = settingsGeneration()
  const hit = kept.get(deps)
  if (hit && hit.site === site && hit.settings === settings && Date.now() - hit.at < keptMs) return hit.footer
  const footer = await readSiteFooter(deps.db)
  kept.set(deps, { footer, site, settings, at: Date.now() })
  return footer
}

/** The footer settings as stored, for the 系统管理员's form: never a kept copy. */
export const storedSiteFooter = (deps: Deps): Promise<SiteFooter | undefined> => readSiteFooter(deps.db)

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
