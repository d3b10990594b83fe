// Errors from the Zhengwu APIs are RFC 9457 problem documents
// (application/problem+json). This module turns a failed response, or a
// failed fetch, into an Error the UI can show in Chinese.

export interface ProblemFieldError {
  field: string
  message: string
}

export interface Problem {
  type?: string
  title?: string
  status: number
  /** Human-readable explanation; the server writes it in Chinese. */
  detail?: string
  /** Stable machine code, e.g. "invalid_credentials", "account_locked". */
  code?: string
  messageZh?: string
  messageEn?: string
  errors?: ProblemFieldError[]
  requestId?: string
  /** RFC 3339 time; present on 423 account_locked. */
  lockedUntil?: string
  [extension: string]: unknown
}

/** The server answered with a non-2xx status. */
export class ApiError extends Error {
  readonly status: number
  readonly problem: Problem

  constructor(problem: Problem) {
    super(problem.detail || problem.messageZh || problem.title || `HTTP ${problem.status}`)
    this.name = 'ApiError'
    this.status = problem.status
    this.problem = problem
  }

  /** Reads the body as a problem document; tolerates HTML or empty bodies (e.g. from a proxy). */
  static async fromResponse(res: Response): Promise<ApiError> {
    let body: unknown
    try {
      const text = await res.text()
      body = text ? JSON.parse(text) : undefined
    } catch {
      body = undefined
    }
    const problem: Problem =
      body && typeof body === 'object' && !Array.isArray(body)
        ? { ...(body as Record<string, unknown>), status: res.status }
        : { status: res.status }
    return new ApiError(problem)
  }
}

/** The request never got an answer (server down, network cut). */
export class NetworkError extends Error {
  constructor(cause?: unknown) {
    super('无法连接服务器，请检查网络后重试', { cause })
    this.name = 'NetworkError'
  }
}

/** The session is gone (refresh refused, or no tokens at all); the user must log in again. */
export class AuthLostError extends Error {
  constructor() {
    super('登录已过期，请重新登录')
    this.name = 'AuthLostError'
  }
}

// Used when the server sent no Chinese text (e.g. a bare 502 from a proxy).
const statusMessages: Record<number, string> = {
  400: '请求有误，请检查输入',
  401: '未登录或登录已过期，请重新登录',
  403: '没有权限执行此操作',
  404: '请求的资源不存在',
  409: '数据已被他人修改，请刷新后重试',
  413: '提交的内容过大',
  423: '账户已被锁定',
  429: '操作过于频繁，请稍后再试',
}

/** The Chinese message to show for any error thrown by the API client. */
export function problemMessage(err: unknown): string {
  if (err instanceof ApiError) {
    const p = err.problem
    const text = p.detail || p.messageZh || statusMessages[p.status]
    if (text) return text
    // Internal errors say nothing more than this; the request id lets support find the log line.
    return p.requestId ? `服务器内部错误（请求编号：${p.requestId}）` : '服务器内部错误，请稍后重试'
  }
  if (err instanceof NetworkError || err instanceof AuthLostError) return err.message
  return '操作失败，请稍后重试'
}

/** Field-level validation messages, keyed by field name (the first message wins). */
export function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (err instanceof ApiError) {
    for (const e of err.problem.errors ?? []) {
      if (e.field && !(e.field in out)) out[e.field] = e.message
    }
  }
  return out
}

/** For a 423 lockout: when the account unlocks, formatted for display; otherwise null. */
export function lockedUntil(err: unknown): string | null {
  if (!(err instanceof ApiError) || err.status !== 423) return null
  const raw = err.problem.lockedUntil
  if (typeof raw !== 'string') return null
  const d = new Date(raw)
  return Number.isNaN(d.getTime()) ? null : formatDateTime(d)
}

/**
 * The office works on China Standard Time whatever the client machine says, and
 * the server writes times into its Chinese messages the same way; showing both
 * in one zone keeps "请于 03:34 后再试" and "解锁时间：… 03:34:25" in agreement.
 */
export const OFFICE_TIME_ZONE = 'Asia/Shanghai'

/** "2026-11-25 19:30:05" in the office's time zone (or the one given). */
export function formatDateTime(d: Date, timeZone = OFFICE_TIME_ZONE): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d)
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`
}
