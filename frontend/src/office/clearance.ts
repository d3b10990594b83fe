// 密级 (clearance / classification) as shown to users. The API already speaks
// Chinese (非密 | 秘密 | 机密); an empty value means the account has none set.

export function clearanceLabel(value: string | null | undefined): string {
  return value && value.trim() ? value : '未设定'
}
