import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { ApiError, problemMessage } from '../../api/problem'
import FileCard from './FileCard.vue'
import { isImage, levelsUpTo } from './files'
import { problemOf } from './socket'
import { unreadLabel } from './unread'

const ID = 'a'.repeat(64)

describe('levelsUpTo', () => {
  it('offers the 密级 a chat takes, up to its limit', () => {
    expect(levelsUpTo('非密')).toEqual(['非密'])
    expect(levelsUpTo('秘密')).toEqual(['非密', '秘密'])
    expect(levelsUpTo('机密')).toEqual(['非密', '秘密', '机密'])
    expect(levelsUpTo('不明')).toEqual(['非密'])
  })
})

describe('FileCard', () => {
  const card = (name: string) =>
    mount(FileCard, { props: { mediaId: ID, name, size: 1536 }, global: { plugins: [ElementPlus] } })

  it('names the file, its size and a download through the media route', () => {
    const w = card('会议纪要.txt')
    expect(w.get('[data-testid="chat-file-name"]').text()).toBe('会议纪要.txt')
    expect(w.text()).toContain('1.5 KB')
    const a = w.get('[data-testid="chat-file-download"]')
    expect(a.attributes('href')).toBe(`/api/portal/v1/media/${ID}`)
    expect(a.attributes('download')).toBe('会议纪要.txt')
    expect(w.find('img').exists()).toBe(false)
  })

  it('previews an image from its thumbnail', () => {
    expect(isImage('照片.JPG')).toBe(true)
    expect(isImage('report.pdf')).toBe(false)
    const img = card('现场照片.png').get('img')
    expect(img.attributes('src')).toBe(`/api/portal/v1/media/${ID}/thumbnail`)
    expect(img.attributes('alt')).toBe('图片预览：现场照片.png')
  })
})

describe('problemOf', () => {
  it("shows a socket refusal's own Chinese message", () => {
    const e = problemOf({ status: 400, code: 'invalid', message: 'classification: 消息密级高于本会话的密级上限（非密）',
      errors: [{ field: 'classification', message: '消息密级高于本会话的密级上限（非密）', messageEn: 'above' }] })
    expect(e).toBeInstanceOf(ApiError)
    expect(e.status).toBe(400)
    expect(problemMessage(e)).toBe('消息密级高于本会话的密级上限（非密）')
    expect(problemMessage(problemOf({ status: 404, message: '会话不存在' }))).toBe('会话不存在')
  })
})

describe('unreadLabel', () => {
  it('says the count', () => expect(unreadLabel(3)).toBe('未读消息 3 条'))
})
