package main

import (
	"context"
	"io"
	"testing"

	"zhengwu/shared/config"
)

// demoServer is the whole server (or the --target the args name) on a
// fresh data directory, the demo seeded with the given password; it is
// closed when the test ends. args come after --data, --log-level and
// --demo.
func demoServer(t *testing.T, password string, args ...string) (*server, *runtime) {
	t.Helper()
	ctx := context.Background()
	env := envOf(map[string]string{"ZHENGWU_DEMO_PASSWORD": password})
	cfg, err := config.Parse(append([]string{"--data", t.TempDir(), "--log-level", "error", "--demo"}, args...), env, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := openRuntime(ctx, cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close() })
	if err := seedDemo(ctx, rt, io.Discard, env); err != nil {
		t.Fatal(err)
	}
	srv, err := newServer(ctx, cfg, rt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv, rt
}

// tokenOf issues an access token for a demo account, as logging in would.
func tokenOf(t *testing.T, srv *server, username string) string {
	t.Helper()
	p, err := srv.parts.identity.PrincipalByUsername(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := srv.parts.tokens.Issue(*p, "test-"+username)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
