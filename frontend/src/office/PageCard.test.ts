import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import PageCard from './PageCard.vue'

describe('PageCard', () => {
  it('heads the page with its title and actions; the card keeps the test id', () => {
    const w = mount(PageCard, {
      props: { title: '信息' },
      attrs: { 'data-testid': 'desktop-card' },
      slots: { actions: '<button>返回</button>', default: '<p>正文</p>' },
      global: { plugins: [ElementPlus] },
    })
    expect(w.get('.el-card').attributes('data-testid')).toBe('desktop-card')
    expect(w.get('.el-card__header h2').text()).toBe('信息')
    expect(w.get('.el-card__header button').text()).toBe('返回')
    expect(w.get('.el-card__body').text()).toBe('正文')
  })

  it('takes a title with tags beside it', () => {
    const w = mount(PageCard, { slots: { title: '编辑文章<span class="el-tag">草稿</span>' }, global: { plugins: [ElementPlus] } })
    expect(w.get('h2').text()).toBe('编辑文章草稿')
    expect(w.get('h2 .el-tag').text()).toBe('草稿')
  })
})
