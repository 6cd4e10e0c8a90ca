// The records an agency-year's report is computed from (law-and-format.md §8.1). The issues on
// disclosure, requests and article-20 activities persist them; here they are plain values. Dates
// are calendar dates in Asia/Shanghai, 'YYYY-MM-DD', so a year boundary is a string comparison.

export const applicantCategories = [
  'natural',
  'commercial',
  'research',
  'publicInterest',
  'legalService',
  'otherOrg',
] as const
export type ApplicantCategory = (typeof applicantCategories)[number]

export const outcomeCodes = [
  'GRANTED',
  'PARTIAL',
  'DENY_SECRET',
  'DENY_LAW',
  'DENY_SECURITY',
  'DENY_THIRD_PARTY',
  'DENY_INTERNAL',
  'DENY_PROCESS',
  'DENY_ENFORCEMENT_FILE',
  'DENY_QUERY',
  'UNABLE_NOT_HELD',
  'UNABLE_NEEDS_CREATION',
  'UNABLE_UNCLEAR',
  'NP_PETITION',
  'NP_REPEAT',
  'NP_PUBLICATION',
  'NP_MASSIVE',
  'NP_CONFIRM',
  'OTHER_NO_CORRECTION',
  'OTHER_NO_FEE',
  'OTHER_OTHER',
] as const
export type OutcomeCode = (typeof outcomeCodes)[number]

export type RecordId = string | number

/** One application: its applicant's category at receipt, the art. 31 receipt date, and how and when it ended. */
export type ApplicationRecord = {
  id: RecordId
  applicantCategory: ApplicantCategory
  receivedOn: string
  /** The decision, abandonment or withdrawal date; null while pending. */
  concludedOn: string | null
  outcome: OutcomeCode | null
}

export type AppealRecord = {
  id: RecordId
  kind: 'reconsideration' | 'litigationDirect' | 'litigationAfterReconsideration'
  filedOn: string
  concludedOn: string | null
  /** Mapped from the raw result (维持/驳回 → upheld, 撤销/变更/确认违法/责令履行 → corrected, …). */
  result: 'upheld' | 'corrected' | 'other' | null
}

export type DocumentRecord = {
  id: RecordId
  docKind: 'rule' | 'normative'
  issuedOn: string
  publishedOn: string | null
  repealedOn: string | null
  lapsedOn: string | null
}

export type DecisionRecord = {
  id: RecordId
  kind: 'licensing' | 'otherServices' | 'penalties' | 'coercion'
  decidedOn: string
  count?: number
}
export type FeeRecord = { id: RecordId; collectedOn: string; amountFen: number }
/** An information-processing fee (信息处理费, 国办函〔2020〕109号) an applicant paid for one application. */
export type ProcessingFeeRecord = { id: RecordId; paidOn: string; amountYuan: number }
export type CatalogueItemRecord = {
  id: RecordId
  itemType: 'licensing' | 'otherServices' | 'penalties' | 'coercion' | 'fees'
  validFrom: string
  validTo: string | null
}
export type ProcurementRecord = { id: RecordId; contractedOn: string; amountFen: number }

export type AgencyYearRecords = {
  applications: readonly ApplicationRecord[]
  appeals: readonly AppealRecord[]
  documents: readonly DocumentRecord[]
  decisions: readonly DecisionRecord[]
  fees: readonly FeeRecord[]
  processingFees: readonly ProcessingFeeRecord[]
  catalogue: readonly CatalogueItemRecord[]
  procurement: readonly ProcurementRecord[]
}

export const noRecords: AgencyYearRecords = {
  applications: [],
  appeals: [],
  documents: [],
  decisions: [],
  fees: [],
  processingFees: [],
  catalogue: [],
  procurement: [],
}
