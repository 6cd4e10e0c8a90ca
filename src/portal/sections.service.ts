import type { Agency } from '../agencies/agency.ts'
import { listAgencies } from '../agencies/agency.store.ts'
import { article20Items } from '../disclosures/column-tree.ts'
import type { Deps } from '../deps.ts'
import { listCatalogue } from '../disclosures/disclosure.store.ts'
import type { ItemRow } from '../disclosures/disclosure.store.ts'
import {
  catalogueCountCap,
  columnsOfArticle20Item,
  columnsOfClass,
  countCatalogue,
  latestInColumns,
} from './portal.store.ts'

// The region's sections of the portal, as the 政府信息公开 专栏 of a county site has them: the home
// page, and one page for each entry point that spans every agency (指南、制度、法定主动公开内容、依申请公开).

export type PortalHome = { agencies: Agency[]; latest: ItemRow[]; total: number; totalCapped: boolean }

/** The portal's home: the agencies, the newest published items and how many there are (counted up to a cap). */
export async function portalHomeOf(deps: Deps): Promise<PortalHome> {
  const agencies = await listAgencies(deps.db)
  const latest = await listCatalogue(deps.db, {}, 10)
  const total = await countCatalogue(deps.db, {})
  return { agencies, latest, total, totalCapped: total >= catalogueCountCap }
}

/** The agencies, for the region's pages that lead to each agency's own (指南, 依申请公开). */
export const regionAgenciesOf = (deps: Deps): Promise<Agency[]> => listAgencies(deps.db)

export type RulesSection = { agency: Agency; columnId: number; items: ItemRow[] }

/** Each agency's 政府信息公开制度 column with its latest rules. */
export async function regionRulesOf(deps: Deps): Promise<RulesSection[]> {
  const agencies = new Map((await listAgencies(deps.db)).map((a) => [a.id, a]))
  const sections: RulesSection[] = []
  for (const c of await columnsOfClass(deps.db, 'rules')) {
    const agency = agencies.get(c.agency_id)
    if (agency) sections.push({ agency, columnId: c.id, items: await latestInColumns(deps.db, [c.id], 5) })
  }
  return sections
}

export type StatutorySection = { item: number; name: string; items: ItemRow[] }

/** The fifteen statutory items of 条例 art. 20, each with the region's latest items under it. */
export async function regionStatutoryOf(deps: Deps): Promise<{ agencies: Agency[]; sections: StatutorySection[] }> {
  const sections: StatutorySection[] = []
  for (const a of article20Items) {
    const columns = await columnsOfArticle20Item(deps.db, a.item)
    sections.push({ item: a.item, name: a.name, items: await latestInColumns(deps.db, columns, 5) })
  }
  return { agencies: await listAgencies(deps.db), sections }
}
