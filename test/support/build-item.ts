import type { StaffActor } from '../../src/audit/audit.ts'
import type { Deps } from '../../src/deps.ts'
import { listColumns } from '../../src/disclosures/disclosure.store.ts'
import { createItem, publishItem } from '../../src/disclosures/disclosure.service.ts'
import { reviewItem, submitItem } from '../../src/disclosures/item-review.service.ts'
import type { ItemInput } from '../../src/disclosures/disclosure.ts'
import { readReviewConfig } from '../../src/reviews/review.service.ts'
import type { Role } from '../../src/accounts/roles.ts'
import { buildStaffActor } from './build-application.ts'
import { setUpRegion } from './builders.ts'

/** A staff member of the office as the actor of a use case, with the roles the story needs. */
export const buildActor = (deps: Deps, roles: Role[], reviewLevel?: number): Promise<StaffActor> =>
  buildStaffActor(deps, { roles, ...(reviewLevel ? { reviewLevel } : {}) })

export type BuiltItem = { id: number; columnId: number; agencyId: number }

/**
 * A proactive-disclosure item of the office, taken as far as the story needs: a draft, approved by
 * every configured review level (先审后发), or published by a publisher.
 */
export async function buildItem(
  deps: Deps,
  opts: {
    title?: string
    column?: string
    body?: string
    until?: 'draft' | 'approved' | 'published'
    /** More catalogue fields (文号, 主题分类…) than the builder's defaults. */
    extra?: Partial<ItemInput>
    /** What the drafter does to the draft before submitting it (an attachment). */
    beforeSubmit?: (id: number, drafter: StaffActor) => Promise<unknown>
  } = {},
): Promise<BuiltItem> {
  const { officeId } = await setUpRegion(deps)
  const columns = await listColumns(deps.db, officeId)
  const column = columns.find((c) => c.name === (opts.column ?? '部门动态'))
  if (!column) throw new Error(`no column named ${opts.column}`)
  const drafter = await buildActor(deps, ['drafter'])
  const input: ItemInput = {
    columnId: column.id,
    title: opts.title ?? '关于开展政务公开培训的通知',
    formedOn: '2026-03-01',
    validity: 'valid',
    body: opts.body ?? '<p>定于本月开展政务公开业务培训。</p>',
    ...opts.extra,
  }
  const id = await createItem(deps, drafter, input)
  const built = { id, columnId: column.id, agencyId: officeId }
  await opts.beforeSubmit?.(id, drafter)
  if (opts.until === 'draft') return built
  await submitItem(deps, drafter, id)
  const { levels } = await readReviewConfig(deps.db, officeId)
  for (let level = 1; level <= levels.length; level++) {
    const reviewer = await buildActor(deps, ['reviewer'], level)
    await reviewItem(deps, reviewer, level, id, {
      decision: 'approved',
      checks: ['political', 'legal', 'confidentiality', 'wording', 'opinionRisk'],
      reason: null,
    })
  }
  if (opts.until === 'approved') return built
  const outcome = await publishItem(deps, await buildActor(deps, ['publisher']), id)
  if (!outcome.published) throw new Error(`item ${id} was not published: ${JSON.stringify(outcome)}`)
  return built
}
