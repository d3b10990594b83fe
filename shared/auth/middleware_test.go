package auth

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"

	"zhengwu/shared/problem"
)

// codeApp is an app that answers an error's problem code as its body.
func codeApp() *fiber.App {
	return fiber.New(fiber.Config{ErrorHandler: func(c *fiber.Ctx, err error) error {
		if p := problem.As(err); p != nil {
			return c.Status(p.Status).SendString(p.Code)
		}
		return c.Status(500).SendString(err.Error())
	}})
}

// aliceTokens are alice's tokens: one that may only change the password
// (after a reset), and a full one.
func aliceTokens(t *testing.T, tok *Tokens) (restricted, full string) {
	t.Helper()
	r := alice
	r.PasswordChange = "reset"
	restricted, _, err := tok.Issue(r, "r1")
	if err != nil {
		t.Fatal(err)
	}
	full, _, err = tok.Issue(alice, "f1")
	if err != nil {
		t.Fatal(err)
	}
	return restricted, full
}

// send answers req's status and the start of its body.
func send(t *testing.T, app *fiber.App, req *http.Request) (int, string) {
	t.Helper()
	resp, err := app.Test(req)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 64)
	n, _ := resp.Body.Read(b)
	return resp.StatusCode, string(b[:n])
}

// A token restricted to changing the password is refused by Required and
// Optional with password_change_required, and accepted only by
// RequiredForPasswordChange.
func TestRestrictedTokenOnlyChangesThePassword(t *testing.T) {
	tok, _ := testTokens(t)
	app := codeApp()
	ok := func(c *fiber.Ctx) error { return c.SendString("ok " + Caller(c).UserID) }
	app.Get("/required", tok.Required(), ok)
	app.Get("/optional", tok.Optional(), func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Post("/password", tok.RequiredForPasswordChange(), ok)

	rs, full := aliceTokens(t, tok)
	call := func(method, path, token string) (int, string) {
		req := httptest.NewRequest(method, path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		return send(t, app, req)
	}
	for _, path := range []string{"/required", "/optional"} {
		if code, body := call("GET", path, rs); code != 403 || body != problem.CodePasswordChangeRequired {
			t.Errorf("restricted token on %s: %d %s", path, code, body)
		}
		if code, _ := call("GET", path, full); code != 200 {
			t.Errorf("full token on %s: %d", path, code)
		}
	}
	for _, s := range []string{rs, full} {
		if code, body := call("POST", "/password", s); code != 200 || body != "ok u1" {
			t.Errorf("change-password route: %d %s", code, body)
		}
	}
	p, err := tok.Verify(rs)
	if err != nil || !p.MustChangePassword() || p.PasswordChange != "reset" {
		t.Fatalf("the token does not say it is restricted: %+v %v", p, err)
	}
}

// OptionalWithCookie takes the token from the header when there is one
// (a bad one refused, as Optional does), else from the cookie; a cookie
// that does not verify (forged, restricted) leaves the request anonymous.
func TestOptionalWithCookie(t *testing.T) {
	tok, _ := testTokens(t)
	app := codeApp()
	app.Get("/file", tok.OptionalWithCookie("zw_media"), func(c *fiber.Ctx) error {
		if p := Caller(c); p != nil {
			return c.SendString(p.UserID)
		}
		return c.SendString("anonymous")
	})
	rs, full := aliceTokens(t, tok)
	call := func(header, cookie string) (int, string) {
		req := httptest.NewRequest("GET", "/file", nil)
		if header != "" {
			req.Header.Set("Authorization", "Bearer "+header)
		}
		if cookie != "" {
			req.Header.Set("Cookie", "zw_media="+cookie)
		}
		return send(t, app, req)
	}
	for _, c := range []struct {
		header, cookie string
		status         int
		body           string
	}{
		{"", "", 200, "anonymous"},
		{"", full, 200, "u1"},
		{full, "", 200, "u1"},
		{"forged", full, 401, problem.CodeUnauthenticated}, // the header counts when sent
		{"", "forged", 200, "anonymous"},
		{"", rs, 200, "anonymous"},
	} {
		if status, body := call(c.header, c.cookie); status != c.status || body != c.body {
			t.Errorf("header %.8q cookie %.8q: %d %s, want %d %s", c.header, c.cookie, status, body, c.status, c.body)
		}
	}
}
