import { describe, expect, it } from 'vitest'
import { withMention } from './mention'

describe('withMention', () => {
  it('ends the last paragraph with the name', () => {
    expect(withMention('<p>请看</p><p>这里</p>', '李文静')).toBe('<p>请看</p><p>这里@李文静 </p>')
  })
  it('starts a paragraph in an empty post', () => {
    expect(withMention('', '周丽')).toBe('<p>@周丽 </p>')
  })
  it('adds a paragraph after a list', () => {
    expect(withMention('<ul><li>一</li></ul>', '周丽')).toBe('<ul><li>一</li></ul><p>@周丽 </p>')
  })
})
