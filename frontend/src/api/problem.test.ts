import { describe, expect, it } from 'vitest'
import { ApiError, AuthLostError, NetworkError, fieldErrors, formatDateTime, lockedUntil, problemMessage } from './problem'

const res = (status: number, body: string, type = 'application/problem+json') =>
  new Response(body, { status, headers: { 'Content-Type': type } })

describe('problemMessage', () => {
  it('prefers detail, then messageZh', async () => {
    const both = await ApiError.fromResponse(
      res(401, JSON.stringify({ status: 401, title: 'Unauthorized', detail: '用户名或密码错误', messageZh: '登录失败' })),
    )
    expect(problemMessage(both)).toBe('用户名或密码错误')
    const zhOnly = await ApiError.fromResponse(
      res(409, JSON.stringify({ status: 409, title: 'Conflict', messageZh: '版本冲突', messageEn: 'Version conflict' })),
    )
    expect(problemMessage(zhOnly)).toBe('版本冲突')
  })

  it('falls back to a Chinese message by status, never the English title', async () => {
    const err = await ApiError.fromResponse(res(403, JSON.stringify({ status: 403, title: 'Forbidden' })))
    expect(problemMessage(err)).toBe('没有权限执行此操作')
  })

  it('shows only the request id for internal errors', async () => {
    const err = await ApiError.fromResponse(res(500, JSON.stringify({ status: 500, requestId: 'req-42' })))
    expect(problemMessage(err)).toBe('服务器内部错误（请求编号：req-42）')
  })

  it('copes with a non-JSON body (e.g. a proxy error page)', async () => {
    const err = await ApiError.fromResponse(res(502, '<html>Bad Gateway</html>', 'text/html'))
    expect(err.status).toBe(502)
    expect(problemMessage(err)).toBe('服务器内部错误，请稍后重试')
  })

  it('uses the status of the response, not the body', async () => {
    const err = await ApiError.fromResponse(res(404, JSON.stringify({ status: 200, detail: '文件不存在' })))
    expect(err.status).toBe(404)
    expect(err.problem.status).toBe(404)
  })

  it('has Chinese messages for network and session errors', () => {
    expect(problemMessage(new NetworkError())).toBe('无法连接服务器，请检查网络后重试')
    expect(problemMessage(new AuthLostError())).toBe('登录已过期，请重新登录')
    expect(problemMessage(new Error('boom'))).toBe('操作失败，请稍后重试')
  })
})

describe('fieldErrors', () => {
  it('maps validation errors by field, first message wins', async () => {
    const err = await ApiError.fromResponse(
      res(
        400,
        JSON.stringify({
          status: 400,
          detail: '输入有误',
          errors: [
            { field: 'username', message: '用户名不能为空' },
            { field: 'username', message: '第二条' },
            { field: 'password', message: '密码不能为空' },
          ],
        }),
      ),
    )
    expect(fieldErrors(err)).toEqual({ username: '用户名不能为空', password: '密码不能为空' })
    expect(fieldErrors(new Error('x'))).toEqual({})
  })
})

describe('lockedUntil', () => {
  it('formats the unlock time of a 423 in China Standard Time', async () => {
    const err = await ApiError.fromResponse(
      res(
        423,
        JSON.stringify({ status: 423, code: 'account_locked', detail: '账户已锁定', lockedUntil: '2026-11-25T19:34:25Z' }),
      ),
    )
    expect(lockedUntil(err)).toBe('2026-11-26 03:34:25')
  })

  it('is null for other statuses or a bad time', async () => {
    const other = await ApiError.fromResponse(res(401, JSON.stringify({ lockedUntil: '2026-11-25T00:00:00Z' })))
    expect(lockedUntil(other)).toBeNull()
    const bad = await ApiError.fromResponse(res(423, JSON.stringify({ lockedUntil: 'soon' })))
    expect(lockedUntil(bad)).toBeNull()
  })

  it('formatDateTime pads every part and writes midnight as 00', () => {
    expect(formatDateTime(new Date('2027-01-01T19:04:05Z'))).toBe('2027-01-02 03:04:05')
    expect(formatDateTime(new Date('2027-01-01T16:00:00Z'))).toBe('2027-01-02 00:00:00')
    expect(formatDateTime(new Date('2027-01-01T16:00:00Z'), 'UTC')).toBe('2027-01-01 16:00:00')
  })
})
