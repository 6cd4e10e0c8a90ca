import type { StaffActor } from '../audit/audit.ts'
import { appendAudit } from '../audit/audit.service.ts'
import { isoNow } from '../clock.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { publicContentChanged } from '../portal/public-content.ts'
import type { ColumnClass } from './column-tree.ts'
import { insertColumn, listColumns, renameColumnRow } from './disclosure.store.ts'
import type { ColumnRow } from './disclosure.store.ts'

// The office head edits the agency's column tree: adds columns (with the class that sets their
// update rule) and renames them. Statutory columns keep their article-20 item. The portal shows the
// columns, so every change marks the public content changed.

export type ColumnInput = { name: string; class: ColumnClass; parentId?: number | undefined }

export const columnsOf = (deps: Deps, agencyId: number): Promise<ColumnRow[]> => listColumns(deps.db, agencyId)

/** Adds a column to the actor's agency, under one of its top columns or at the top. */
export async function addColumn(deps: Deps, actor: StaffActor, input: ColumnInput): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    const columns = await listColumns(trx, actor.agencyId)
    if (input.parentId && !columns.some((c) => c.id === input.parentId))
      throw new AppError('invalid_input', '请选择本机关的栏目', { parentId: '请选择本机关的栏目' })
    if (columns.some((c) => c.name === input.name && c.parent_id === (input.parentId ?? null)))
      throw new AppError('invalid_input', '同级已有同名栏目', { name: '同级已有同名栏目' })
    const id = await insertColumn(trx, {
      agency_id: actor.agencyId,
      parent_id: input.parentId ?? null,
      name: input.name,
      class: input.class,
      article20_item: null,
      sort: (columns.length + 1) * 10,
      created_at: isoNow(deps.clock),
    })
    await appendAudit(deps, trx, actor, {
      action: 'column.create',
      objectType: 'column',
      objectId: id,
      result: 'success',
      detail: input,
    })
    await publicContentChanged(trx)
    return id
  })
}

/** Renames a column of the actor's agency. */
export async function renameColumn(deps: Deps, actor: StaffActor, id: number, name: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const column = (await listColumns(trx, actor.agencyId)).find((c) => c.id === id)
    if (!column) throw new AppError('invalid_input', '栏目不存在', { name: '栏目不存在' })
    await renameColumnRow(trx, id, name)
    await appendAudit(deps, trx, actor, {
      action: 'column.rename',
      objectType: 'column',
      objectId: id,
      result: 'success',
      detail: { from: column.name, to: name },
    })
    await publicContentChanged(trx)
  })
}
