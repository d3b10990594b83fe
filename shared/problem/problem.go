// Package problem is Zhengwu's one error type. Domain code returns a
// *problem.Error with a stable code and a message in Chinese and English;
// the HTTP layer renders it as RFC 9457 application/problem+json in exactly
// one place (httpx.ErrorHandler). Any other error is internal: the client
// sees only "内部错误" and a request id, the details go to the log.
package problem

import (
	"errors"
	"fmt"
	"net/http"
)

// Stable codes. Clients switch on these, never on the message text.
const (
	CodeInvalid            = "invalid"             // 400: a field failed validation
	CodeMalformed          = "malformed_body"      // 400: body is not the JSON expected
	CodeUnauthenticated    = "unauthenticated"     // 401: no or bad token
	CodeInvalidCredentials = "invalid_credentials" // 401: wrong username or password
	CodeForbidden          = "forbidden"           // 403: signed in, not allowed
	CodeNotFound           = "not_found"           // 404
	CodeConflict           = "conflict"            // 409: stale version or duplicate
	CodeInvalidState       = "invalid_state"       // 409: the object's state does not allow the action
	CodeSelfReview         = "self_review"         // 403: an author or submitter may not approve their own work
	CodeTooLarge           = "body_too_large"      // 413
	CodeLocked             = "account_locked"      // 423
	// CodePasswordChangeRequired (403): the token may only change the
	// password (after a reset, at the first login, or once expired).
	CodePasswordChangeRequired = "password_change_required"
	CodeRateLimited            = "rate_limited" // 429
	CodeInternal               = "internal"     // 500
	CodeUnavailable            = "unavailable"  // 503
)

// CodeUnsupportedMedia (415): the body is not in a type the route reads
// (a JSON route sent text/plain, a compressed body).
const CodeUnsupportedMedia = "unsupported_media_type"

// FieldError names one invalid field.
type FieldError struct {
	Field     string `json:"field"`
	Message   string `json:"message"`   // Chinese
	MessageEn string `json:"messageEn"` // English
}

// Error is a client-facing error.
type Error struct {
	Status int
	Code   string
	Zh     string // message shown to users (Chinese)
	En     string
	Fields []FieldError
	// Extra members added to the problem document (e.g. lockedUntil).
	Extra map[string]any
	// Cause is logged, never shown.
	Cause error
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.En, e.Cause)
	}
	return e.Code + ": " + e.En
}

func (e *Error) Unwrap() error { return e.Cause }

// New makes an error with a status, code and both messages.
func New(status int, code, zh, en string) *Error {
	return &Error{Status: status, Code: code, Zh: zh, En: en}
}

// Invalid reports invalid fields (400).
func Invalid(fields ...FieldError) *Error {
	e := New(http.StatusBadRequest, CodeInvalid, "请求参数有误", "invalid request")
	e.Fields = fields
	if len(fields) == 1 {
		e.Zh, e.En = fields[0].Field+": "+fields[0].Message, fields[0].Field+": "+fields[0].MessageEn
	}
	return e
}

// Field is shorthand for one FieldError.
func Field(field, zh, en string) FieldError {
	return FieldError{Field: field, Message: zh, MessageEn: en}
}

// NotFound (404).
func NotFound(zh, en string) *Error { return New(http.StatusNotFound, CodeNotFound, zh, en) }

// Conflict (409).
func Conflict(zh, en string) *Error { return New(http.StatusConflict, CodeConflict, zh, en) }

// InvalidState (409) says the action does not fit the object's current
// state: stateZh names the state for the reader ("已发布"), state is its
// code, added to the problem as "state" for clients that switch on it.
func InvalidState(stateZh, state string) *Error {
	return New(http.StatusConflict, CodeInvalidState, "当前状态（"+stateZh+"）不能执行此操作",
		"not allowed in state "+state).With("state", state)
}

// Forbidden (403).
func Forbidden() *Error {
	return New(http.StatusForbidden, CodeForbidden, "没有执行此操作的权限", "you may not do this")
}

// Unauthenticated (401).
func Unauthenticated(en string) *Error {
	return New(http.StatusUnauthorized, CodeUnauthenticated, "请先登录或重新登录", en)
}

// With adds an extra member to the problem document and returns e.
func (e *Error) With(key string, value any) *Error {
	if e.Extra == nil {
		e.Extra = map[string]any{}
	}
	e.Extra[key] = value
	return e
}

// As returns the *Error inside err, or nil.
func As(err error) *Error {
	var p *Error
	if errors.As(err, &p) {
		return p
	}
	return nil
}
