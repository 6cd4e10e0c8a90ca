import type { Deps } from '../deps.ts'
import type { ApplicationRow } from '../storage/database.ts'
import type { ApplicantDetails } from './application.ts'
import { maskName, maskTail } from './application.ts'

// The applicant's personal data is encrypted with the field key, bound to the application's number,
// and never written to the audit log; everyone in the agency sees it masked by default.

/** Personal fields are bound to their application by the AAD, so a ciphertext moved to another row fails. */
export const fieldAad = (number: string, field: string) => `application:${number}:${field}`

export function decryptApplicant(deps: Deps, application: ApplicationRow): ApplicantDetails {
  const dec = (v: string | null, field: string) =>
    v ? deps.fields.decrypt(v, fieldAad(application.number, field)) : null
  return {
    name: dec(application.applicant_name_enc, 'name') ?? '',
    contactPerson: dec(application.contact_person_enc, 'contact_person'),
    idNumber: dec(application.id_number_enc, 'id_number'),
    phone: dec(application.phone_enc, 'phone'),
    email: dec(application.email_enc, 'email'),
    address: dec(application.address_enc, 'address'),
  }
}

/** What everyone in the agency sees by default: masked. */
export function maskedApplicant(deps: Deps, application: ApplicationRow): ApplicantDetails {
  const d = decryptApplicant(deps, application)
  return {
    name: application.applicant_name_masked ?? '',
    contactPerson: d.contactPerson ? maskName(d.contactPerson) : null,
    idNumber: maskTail(d.idNumber),
    phone: d.phone ? `${d.phone.slice(0, 3)}****${d.phone.slice(-4)}` : null,
    email: d.email ? d.email.replace(/^(.).*(@.*)$/, '$1***$2') : null,
    address: d.address ? `${[...d.address].slice(0, 6).join('')}……` : null,
  }
}

/**
 * The 查询码 as stored: a keyed hash (HMAC-SM3 under a key derived from the field key) bound to the
 * application's number, so it can be checked but never read back (issue #14). The code itself is
 * shown once, on submission. Must stay as the 2026-12-06-01 migration froze it.
 */
export const queryCodeHash = (deps: Pick<Deps, 'fields'>, number: string, code: string) =>
  deps.fields.blindIndex(`${number}\n${code.toUpperCase()}`, 'query code v1')
