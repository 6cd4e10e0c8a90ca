import { z } from 'zod'
import type { Actor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { writeSetting } from '../settings/settings.store.ts'

/** The form of an agency's review levels: one to five named levels and the one holding 保密审查. */
export const reviewConfigForm = z
  .object({
    levels: z
      .string({ error: '请填写审核级别' })
      .transform((v) =>
        v
          .split(/[\n,，、]/)
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().max(10, '级别名称不得超过 10 个字')).min(1, '至少一级审核').max(5, '最多五级审核')),
    confidentialityLevel: z.coerce.number({ error: '请选择保密审查所在级别' }).int().min(1, '请选择保密审查所在级别'),
  })
  .refine((v) => v.confidentialityLevel <= v.levels.length, {
    path: ['confidentialityLevel'],
    message: '保密审查所在级别不能超过审核级数',
  })

export async function saveReviewConfig(
  deps: Deps,
  actor: Actor & { id: number; agencyId: number },
  config: z.infer<typeof reviewConfigForm>,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await writeSetting(trx, `review_config:${actor.agencyId}`, JSON.stringify(config), actor.id, isoNow(deps.clock))
    await appendAudit(deps, trx, actor, {
      action: 'review_config.update',
      objectType: 'agency',
      objectId: actor.agencyId,
      result: 'success',
      detail: config,
    })
  })
}
