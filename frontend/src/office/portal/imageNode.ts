// The body's images: a block <img src alt> node for the rich-text editor.
// Tiptap's image extension is not among our packages, and this is all of it
// that we need. The server's sanitiser keeps only portal media URLs and alt.

import { Node, mergeAttributes } from '@tiptap/core'

export const BodyImage = Node.create({
  name: 'image',
  group: 'block',
  atom: true,
  draggable: true,
  addAttributes() {
    return { src: { default: null }, alt: { default: '' } }
  },
  parseHTML() {
    return [{ tag: 'img[src]' }]
  },
  renderHTML({ HTMLAttributes }) {
    return ['img', mergeAttributes(HTMLAttributes)]
  },
})

/** The alt text an editor must give an image: what it shows, in words. */
export function altProblem(alt: string): string {
  const a = alt.trim()
  if (!a) return '请填写图片的替代文字（供读屏软件朗读）'
  if (a.length > 200) return '替代文字不超过200字'
  if (/\.(png|jpe?g|gif|webp|bmp)$/i.test(a)) return '请描述图片内容，而不是文件名'
  return ''
}
