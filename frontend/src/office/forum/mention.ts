// Inserting @姓名 into a post's HTML as the editor holds it: at the end of
// its last paragraph, or as a new paragraph.

export function withMention(body: string, name: string): string {
  const at = `@${name} `
  return body.endsWith('</p>') ? body.slice(0, -4) + at + '</p>' : `${body}<p>${at}</p>`
}
