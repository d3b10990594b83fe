package auth

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhengwu/shared/problem"
)

const principalKey = "zhengwu.principal"

// Optional verifies a bearer token when one is present; a request without
// one goes on anonymous, a request with a bad one is refused (a client
// that sends a token expects it to count).
func (t *Tokens) Optional() fiber.Handler {
	return func(c *fiber.Ctx) error {
		h := c.Get(fiber.HeaderAuthorization)
		if h == "" {
			return c.Next()
		}
		if err := t.signIn(c, h, false); err != nil {
			return err
		}
		return c.Next()
	}
}

// OptionalWithCookie is Optional that, on a request without an
// Authorization header, takes the token from the named cookie: for routes
// the browser itself requests (<img src>, a download link), which cannot
// send the header. A cookie whose token no longer verifies (expired,
// revoked, restricted to a password change) leaves the request anonymous
// rather than refused: the route answers it as it answers anyone.
func (t *Tokens) OptionalWithCookie(cookie string) fiber.Handler {
	optional := t.Optional()
	return func(c *fiber.Ctx) error {
		if c.Get(fiber.HeaderAuthorization) != "" {
			return optional(c)
		}
		if tok := c.Cookies(cookie); tok != "" {
			if p, err := t.Verify(tok); err == nil && !p.MustChangePassword() {
				c.Locals(principalKey, p)
			}
		}
		return c.Next()
	}
}

// Required refuses a request without a valid bearer token (401), and one
// whose token may only change the password (403 password_change_required).
func (t *Tokens) Required() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := t.signIn(c, c.Get(fiber.HeaderAuthorization), false); err != nil {
			return err
		}
		return c.Next()
	}
}

// RequiredForPasswordChange is Required that also accepts a token
// restricted to changing the password: for the change-password route
// only.
func (t *Tokens) RequiredForPasswordChange() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := t.signIn(c, c.Get(fiber.HeaderAuthorization), true); err != nil {
			return err
		}
		return c.Next()
	}
}

// signIn makes the principal of the Authorization header h the request's
// caller: 401 for a missing or bad token, 403 password_change_required
// for a token restricted to changing the password unless restrictedOK.
func (t *Tokens) signIn(c *fiber.Ctx, h string, restrictedOK bool) error {
	p, err := t.fromHeader(h)
	if err != nil {
		return err
	}
	if p.MustChangePassword() && !restrictedOK {
		return errPasswordChangeRequired
	}
	c.Locals(principalKey, p)
	return nil
}

// errPasswordChangeRequired answers every route but the change-password
// one for a restricted token.
var errPasswordChangeRequired = problem.New(403, problem.CodePasswordChangeRequired,
	"请先修改密码：密码已被重置、首次登录或已过期，修改后才能继续使用系统",
	"change your password first (it was reset, this is the first login, or it has expired)")

func (t *Tokens) fromHeader(h string) (*Principal, error) {
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, problem.Unauthenticated("missing bearer token")
	}
	p, err := t.Verify(strings.TrimSpace(token))
	if err != nil {
		e := problem.Unauthenticated("invalid or expired token")
		e.Cause = err
		return nil, e
	}
	return p, nil
}

// Caller returns the verified principal, or nil for an anonymous request.
func Caller(c *fiber.Ctx) *Principal {
	p, _ := c.Locals(principalKey).(*Principal)
	return p
}

// RequireAnywhere refuses callers that hold neither perm nor any of or in
// some scope (403); use it on routes whose handler then checks the
// department of the object.
func RequireAnywhere(perm Permission, or ...Permission) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := Caller(c)
		if p == nil {
			return problem.Unauthenticated("missing bearer token")
		}
		if !p.CanAnywhere(perm) && !slices.ContainsFunc(or, p.CanAnywhere) {
			return problem.Forbidden()
		}
		return c.Next()
	}
}

// RequireOfficeWide refuses callers that do not hold perm office-wide
// (403): for the routes of the three officers, whose roles are granted
// office-wide only.
func RequireOfficeWide(perm Permission) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := Caller(c)
		if p == nil {
			return problem.Unauthenticated("missing bearer token")
		}
		if !p.Can(perm, OfficeWide) {
			return problem.Forbidden()
		}
		return c.Next()
	}
}
