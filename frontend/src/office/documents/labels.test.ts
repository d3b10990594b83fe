import { describe, expect, it } from 'vitest'
import { classificationMark, currentNodes, urgencyLabel } from './labels'

describe('公文 labels', () => {
  it('marks 密级★保密期限 as GB/T 9704 does, and nothing on an unclassified document', () => {
    expect(classificationMark('秘密', '1年')).toBe('秘密★1年')
    expect(classificationMark('机密')).toBe('机密')
    expect(classificationMark('非密', '1年')).toBe('')
  })

  it('names each node of the open tasks once, in order (a 会签 with two holders is one node)', () => {
    const t = (nodeName: string) => ({ id: '', documentId: '', node: '', nodeName, assignee: '', openedAt: '' })
    expect(currentNodes([t('会签'), t('会签'), t('签发')])).toBe('会签、签发')
    expect(currentNodes(undefined)).toBe('')
  })

  it('calls a document without urgency 平件', () => {
    expect(urgencyLabel('')).toBe('平件')
    expect(urgencyLabel('特急')).toBe('特急')
  })
})
