package officeapi_test

import (
	"testing"

	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/officetest"
	"zhengwu/shared/testkit"
)

const demoPassword = officetest.Password

// env is one test's office API (officetest), with the short names these
// tests use.
type env struct{ *officetest.Env }

type response = testkit.Response

func newEnv(t testing.TB) *env {
	t.Helper()
	// A small body limit, so that the oversized-body tests stay small.
	return &env{officetest.NewWith(t, officetest.Options{BodyLimit: 64 << 10})}
}

// restart is a new process over the same store and clock: new keys
// loaded, new token cache, revocations loaded from the store.
func (e *env) restart() *env { return &env{e.Env.Restart()} }

func (e *env) do(method, path, token string, body any) response {
	return e.Do(method, path, token, body)
}

func (e *env) login(username string) identity.Session { return e.Login(username) }

func (e *env) token(username string) string { return e.Login(username).AccessToken }

func (e *env) userID(username string) string { return e.UserID(username) }

func (e *env) serve() string { return testkit.Serve(e.T, e.App) }

func wantProblem(t *testing.T, r response, status int, code string) map[string]any {
	t.Helper()
	return testkit.WantProblem(t, r, status, code)
}
