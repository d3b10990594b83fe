import { describe, expect, it } from 'vitest'
import type { InfoItem } from '../../api/info'
import { infoQuery, itemsOf, normaliseItem } from '../../api/info'
import { abilitiesOf, actionsFor, classificationTagType, kindLabel, portalStatus, stateLabel } from './labels'

const base: InfoItem = {
  id: 'i1',
  department: 'xinxi',
  kind: 'update',
  title: 't',
  classification: '非密',
  audience: 'portal',
  state: 'draft',
  revision: 1,
  portal: { designated: false, approved: false },
  version: 1,
}

const editor = abilitiesOf(['office.read', 'info.item.edit'])
const director = abilitiesOf(['info.item.review', 'portal.item.publish'])

describe('labels', () => {
  it('speaks Chinese', () => {
    expect(kindLabel('update')).toBe('工作动态')
    expect(stateLabel('submitted')).toBe('待审核')
    expect(kindLabel('odd')).toBe('odd')
    expect(classificationTagType('非密')).toBe('info')
    expect(classificationTagType('机密')).toBe('danger')
  })
})

describe('actionsFor', () => {
  it('lets the editor edit and submit a draft, nothing else', () => {
    const a = actionsFor(base, editor)
    expect(a).toMatchObject({ edit: true, submit: true, approve: false, portalApprove: false, designate: true })
  })

  it('lets a reviewer approve a submitted item', () => {
    const a = actionsFor({ ...base, state: 'submitted' }, director)
    expect(a.approve && a.reject).toBe(true)
    expect(a.submit || a.edit || a.designate).toBe(false)
  })

  it('offers portal approval only when published, designated and not yet approved at this revision', () => {
    const pub = { ...base, state: 'published', portal: { designated: true, channel: 'news', approved: false } }
    expect(actionsFor(pub, director).portalApprove).toBe(true)
    expect(actionsFor(pub, editor).portalApprove).toBe(false)
    const approved = { ...pub, portal: { ...pub.portal, approved: true, approvedRevision: 1 } }
    expect(actionsFor(approved, director).portalApprove).toBe(false)
    expect(actionsFor(approved, director).portalRevoke).toBe(true)
    // An edit bumped the revision: the approval is stale.
    expect(actionsFor({ ...approved, revision: 2 }, director).portalApprove).toBe(true)
    expect(actionsFor({ ...pub, portal: { designated: false, approved: false } }, director).portalApprove).toBe(false)
  })

  it('never offers the portal for classified items', () => {
    const secret = { ...base, state: 'published', classification: '秘密' as const, portal: { designated: true, channel: 'news', approved: false } }
    const a = actionsFor(secret, director)
    expect(a.designate || a.portalApprove).toBe(false)
    expect(portalStatus(secret)).toBe('秘密信息不能发布到门户')
  })

  it('describes the way to the portal', () => {
    expect(portalStatus({ ...base, audience: 'office' })).toBe('')
    expect(portalStatus(base)).toBe('待指定门户栏目')
    expect(portalStatus({ ...base, portal: { designated: true, channel: 'news', approved: false } })).toBe('待全办审核')
    expect(
      portalStatus({ ...base, state: 'published', portal: { designated: true, channel: 'news', approved: true, approvedRevision: 1 } }),
    ).toBe('已批准发布到门户')
  })
})

describe('info api helpers', () => {
  it('builds a query of the set values only', () => {
    expect(infoQuery({ scope: 'office', kind: '', q: '动态', size: 20 })).toBe('scope=office&q=%E5%8A%A8%E6%80%81&size=20')
  })
  it('reads bare and wrapped lists', () => {
    expect(itemsOf([1])).toEqual([1])
    expect(itemsOf({ items: [2] })).toEqual([2])
    expect(itemsOf({ rules: [3] })).toEqual([3])
    expect(itemsOf(null)).toEqual([])
  })
})

describe('normalising the server answers', () => {
  const summary = { id: 's1', title: '动态', department: 'xinxi', kind: 'update', classification: '非密', audience: 'portal', state: 'published', revision: 2, designated: true, approved: true, channel: 'news' }

  it('turns a list summary flat portal state into the portal object', () => {
    const it = normaliseItem(summary)
    expect(it.portal).toEqual({ designated: true, channel: 'news', approved: true, approvedRevision: 2 })
    expect(portalStatus(it)).toBe('已批准发布到门户')
    expect(normaliseItem({ ...summary, approved: false, designated: false, channel: undefined }).portal).toEqual({
      designated: false,
      channel: undefined,
      approved: false,
      approvedRevision: undefined,
    })
  })

  it('keeps a detail portal object as it is', () => {
    const portal = { designated: true, channel: 'news', approved: false }
    expect(normaliseItem({ ...base, portal }).portal).toBe(portal)
  })
})
