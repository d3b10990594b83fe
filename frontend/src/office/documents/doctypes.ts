// The 15 文种 of the 党政机关公文处理工作条例 (2012) with what each is for and
// the rules the drafting form shows beside the selector; the server holds
// the drafts to the same rules (officialdoc.checkInput, the seal, the
// 签发人 before 登记编号). Here they only guide and warn early.

import type { DocType } from './api'

export interface DocTypeRule {
  type: DocType
  /** What the type is used for (条例 第八条). */
  use: string
  /** Rules the form shows inline. */
  rules: string[]
  /** 一文一事: exactly one 主送机关. */
  oneMainTo?: boolean
  /** Must carry a 签发人 (taken at 签发) before it is numbered. */
  needsSigner?: boolean
  /** Carries no seal (不加盖印章). */
  noSeal?: boolean
}

export const DOC_TYPES: DocTypeRule[] = [
  { type: '决议', use: '会议讨论通过的重大决策事项', rules: [] },
  { type: '决定', use: '对重要事项作出决策和部署、奖惩有关单位和人员、变更或者撤销下级机关不适当的决定事项', rules: [] },
  { type: '命令', use: '公布行政法规和规章、宣布施行重大强制性措施、批准授予和晋升衔级、嘉奖有关单位和人员', rules: [] },
  { type: '公报', use: '公布重要决定或者重大事项', rules: [] },
  { type: '公告', use: '向国内外宣布重要事项或者法定事项', rules: [] },
  { type: '通告', use: '在一定范围内公布应当遵守或者周知的事项', rules: [] },
  { type: '意见', use: '对重要问题提出见解和处理办法', rules: [] },
  { type: '通知', use: '发布、传达要求下级机关执行和有关单位周知或者执行的事项，批转、转发公文', rules: [] },
  { type: '通报', use: '表彰先进，批评错误，传达重要精神和告知重要情况', rules: [] },
  { type: '报告', use: '向上级机关汇报工作、反映情况，回复上级机关的询问', rules: ['不得夹带请示事项'] },
  {
    type: '请示',
    use: '向上级机关请求指示、批准',
    rules: ['一文一事', '只主送一个上级机关', '须经签发并标注签发人，方可登记编号'],
    oneMainTo: true,
    needsSigner: true,
  },
  { type: '批复', use: '答复下级机关请示事项', rules: [] },
  { type: '议案', use: '各级人民政府按照法律程序向同级人民代表大会或者其常务委员会提请审议事项', rules: [] },
  { type: '函', use: '不相隶属机关之间商洽工作、询问和答复问题、请求批准和答复审批事项', rules: [] },
  { type: '纪要', use: '记载会议主要情况和议定事项', rules: ['不加盖印章'], noSeal: true },
]

export const docTypeRule = (t: string | undefined): DocTypeRule | undefined => DOC_TYPES.find((d) => d.type === t)

/** The draft's fields the 文种 rules read. */
export interface RuleSubject {
  docType: string
  mainTo: readonly string[]
}

/**
 * Where a draft breaks its 文种's rules, by the field to mark (the server
 * names the same field when it refuses).
 */
export function ruleProblems(d: RuleSubject): Record<string, string> {
  const out: Record<string, string> = {}
  const rule = docTypeRule(d.docType)
  const mainTo = d.mainTo.map((m) => m.trim()).filter(Boolean)
  if (rule?.oneMainTo && mainTo.length > 1) out.mainTo = `${rule.type}应当一文一事，只主送一个机关（现有 ${mainTo.length} 个）`
  return out
}
