// The drafting form's model and the officialdoc.Input it sends: fields
// trimmed, the empty optional ones left out (the server's own defaults),
// 保密期限 and 份号 only on a classified document, the lists without blanks.

import type { Direction, DocInput, DocType, DocUpdate, DocView } from './api'

export interface DraftForm {
  direction: Direction
  docType: DocType
  copyNo: string
  classification: DocInput['classification']
  secrecyPeriod: string
  /** '' is 平件. */
  urgency: '' | '特急' | '加急'
  issuer: string
  /** 联合行文: the other issuers, in the order they are named after issuer. */
  jointIssuers: string[]
  issuerCode: string
  title: string
  mainTo: string[]
  body: string
  signature: string
  writtenOn: string
  note: string
  copyTo: string[]
  printedBy: string
  department: string
  /** User ids. */
  cosigners: string[]
  knowers: string[]
  /** Media ids (POST /api/portal/v1/media), in order. */
  attachments: string[]
}

/** A new form: an outgoing 通知 of the office (the 发文机关 and its 代字 filled as the office's). */
export function newDraft(direction: Direction = 'outgoing', department = ''): DraftForm {
  const office = '安徽省人民政府办公厅'
  return {
    direction,
    docType: '通知',
    copyNo: '',
    classification: '非密',
    secrecyPeriod: '',
    urgency: '',
    issuer: direction === 'outgoing' ? office : '',
    jointIssuers: [],
    issuerCode: direction === 'outgoing' ? '皖政办' : '',
    title: '',
    mainTo: [],
    body: '',
    signature: direction === 'outgoing' ? office : '',
    writtenOn: '',
    note: '',
    copyTo: [],
    printedBy: direction === 'outgoing' ? `${office}秘书处` : '',
    department,
    cosigners: [],
    knowers: [],
    attachments: [],
  }
}

/** The form for editing a document as read: every field it has, '' and [] for the rest. */
export function fromView(d: DocView): DraftForm {
  return {
    direction: d.direction === 'incoming' ? 'incoming' : 'outgoing',
    docType: d.docType as DocType,
    copyNo: d.copyNo ?? '',
    classification: d.classification as DocInput['classification'],
    secrecyPeriod: d.secrecyPeriod ?? '',
    urgency: d.urgency === '特急' || d.urgency === '加急' ? d.urgency : '',
    issuer: d.issuer ?? '',
    jointIssuers: [...(d.jointIssuers ?? [])],
    issuerCode: d.issuerCode ?? '',
    title: d.title,
    mainTo: [...(d.mainTo ?? [])],
    body: d.body ?? '',
    signature: d.signature ?? '',
    writtenOn: d.writtenOn ?? '',
    note: d.note ?? '',
    copyTo: [...(d.copyTo ?? [])],
    printedBy: d.printedBy ?? '',
    department: d.department,
    cosigners: [...(d.cosigners ?? [])],
    knowers: [...(d.knowers ?? [])],
    attachments: [...(d.attachments ?? [])],
  }
}

/** The edit (PUT) of a document read at version: the form's fields and that version. */
export function toUpdate(f: DraftForm, version: number): DocUpdate {
  return { ...toInput(f), version } as DocUpdate
}

const clean = (list: readonly string[]) => [...new Set(list.map((s) => s.trim()).filter(Boolean))]

export function toInput(f: DraftForm): DocInput {
  const classified = f.classification !== '非密'
  const text = (s: string) => s.trim() || undefined
  const list = (l: readonly string[]) => (clean(l).length ? clean(l) : undefined)
  const input: DocInput = {
    direction: f.direction,
    docType: f.docType,
    title: f.title.trim(),
    classification: f.classification,
    copyNo: classified ? text(f.copyNo) : undefined,
    secrecyPeriod: classified ? text(f.secrecyPeriod) : undefined,
    urgency: f.urgency || undefined,
    issuer: text(f.issuer),
    jointIssuers: list(f.jointIssuers),
    issuerCode: text(f.issuerCode),
    mainTo: list(f.mainTo),
    body: f.body || undefined,
    signature: text(f.signature),
    writtenOn: f.writtenOn || undefined,
    note: text(f.note),
    copyTo: list(f.copyTo),
    printedBy: text(f.printedBy),
    department: f.department || undefined,
    cosigners: list(f.cosigners),
    knowers: list(f.knowers),
    attachments: list(f.attachments),
  }
  for (const k of Object.keys(input) as (keyof DocInput)[]) if (input[k] === undefined) delete input[k]
  return input
}

/** A problem's field ("mainTo[1]", "cosigners[0]") as the form's field it marks ("mainTo"). */
export const formField = (field: string) => field.replace(/[.[].*$/, '')

/** The problem's field errors by form field, the first message of each. */
export function errorsByField(errors: readonly { field: string; message: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of errors ?? []) {
    const f = formField(e.field)
    if (f && !(f in out)) out[f] = e.message
  }
  return out
}
