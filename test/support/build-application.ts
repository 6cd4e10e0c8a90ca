import type { Role } from '../../src/accounts/roles.ts'
import { createAgency } from '../../src/agencies/agency.service.ts'
import type { AgencyInput } from '../../src/agencies/agency.ts'
import { applicationForm } from '../../src/applications/application.ts'
import type { ApplicationInput, Channel } from '../../src/applications/application.ts'
import { addApplicantFile } from '../../src/applications/applicant.service.ts'
import { submitApplication } from '../../src/applications/intake.service.ts'
import { findByTracking } from '../../src/applications/tracking.service.ts'
import { systemActor } from '../../src/audit/audit.ts'
import type { StaffActor } from '../../src/audit/audit.ts'
import type { Deps } from '../../src/deps.ts'
import { buildStaff, setUpRegion } from './builders.ts'

// Builders for disclosure on request, so that a test reads as its story: an agency, its staff, an
// application received on a given day, with the files its applicant uploaded (STYLE.md §3).

const creditAlphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const creditWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** A valid 统一社会信用代码 for the n-th test agency (GB 32100-2015 check character). */
export function creditCodeFor(n: number): string {
  const body = `11500231MB${String(n).padStart(7, '0')}`
  const sum = [...body].reduce((s, c, i) => s + creditAlphabet.indexOf(c) * creditWeights[i]!, 0)
  return `${body}${creditAlphabet[(31 - (sum % 31)) % 31]!}`
}

let agencies = 0

/** Another agency of the region (a county bureau unless `place` says otherwise), beside the government office set up first. */
export async function buildAgency(
  deps: Deps,
  name = `垫江县测试局${++agencies}`,
  place: { kind?: AgencyInput['kind']; level?: AgencyInput['level'] } = {},
): Promise<number> {
  const { officeId } = await setUpRegion(deps)
  agencies += 1
  return createAgency(deps, systemActor(), {
    name,
    creditCode: creditCodeFor(1000 + agencies),
    level: place.level ?? '县级',
    kind: place.kind ?? '政府部门',
    parentId: officeId,
  })
}

/** A member of an agency's staff as the actor of a use case (the office by default). */
export async function buildStaffActor(
  deps: Deps,
  opts: { roles: Role[]; agencyId?: number; reviewLevel?: number },
): Promise<StaffActor> {
  const { officeId } = await setUpRegion(deps)
  const agencyId = opts.agencyId ?? officeId
  const level = opts.reviewLevel ? { reviewLevel: opts.reviewLevel } : {}
  const account = await buildStaff(deps, { roles: opts.roles, agencyId, ...level })
  return { ...systemActor(opts.roles.join()), id: account.id, agencyId, roles: opts.roles }
}

/** The application form of a citizen, with any field changed. */
export const citizenApplication = (over: Partial<ApplicationInput> = {}): ApplicationInput =>
  applicationForm.parse({
    applicantKind: 'person',
    category: 'natural',
    name: '李明华',
    idType: 'resident_id',
    idNumber: '11010519491231002X',
    phone: '13912345678',
    address: '重庆市垫江县桂溪街道新华路 18 号',
    infoDescription: '2025年桂溪街道老旧小区改造项目的资金使用明细',
    wantedForm: 'electronic',
    deliveryWay: 'online',
    ...over,
  })

export type BuiltApplication = { id: number; number: string; queryCode: string; agencyId: number }

/**
 * An application taken in by an agency (the office by default), online on the clock's day or
 * registered by staff on `receivedOn`, with `files` PDF files uploaded by its applicant.
 */
export async function buildApplication(
  deps: Deps,
  opts: {
    agencyId?: number
    receivedOn?: string
    channel?: Channel
    applicant?: Partial<ApplicationInput>
    files?: number
  } = {},
): Promise<BuiltApplication> {
  const { officeId } = await setUpRegion(deps)
  const agencyId = opts.agencyId ?? officeId
  const channel = opts.channel ?? (opts.receivedOn ? 'in_person' : 'online')
  const submitted = await submitApplication(deps, systemActor('申请人'), agencyId, citizenApplication(opts.applicant), {
    channel,
    ...(opts.receivedOn ? { receivedOn: opts.receivedOn } : {}),
  })
  const queryCode = submitted.queryCode!
  for (let i = 1; i <= (opts.files ?? 0); i++) {
    const application = await findByTracking(deps, submitted.number, queryCode)
    await addApplicantFile(
      deps,
      systemActor('申请人'),
      application!,
      `身份证复印件${i}.pdf`,
      Buffer.from(`%PDF-1.4 ${i}`),
    )
  }
  return { id: submitted.id, number: submitted.number, queryCode, agencyId }
}
