package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
	"zhengwu/shared/testkit"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func runCmd(t *testing.T, stdin string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb, envOf(env))
	return code, out.String(), errb.String()
}

func TestVersionAndUsage(t *testing.T) {
	if code, out, _ := runCmd(t, "", nil, "version"); code != 0 || !strings.HasPrefix(out, "zhengwu ") {
		t.Fatalf("version: %d %q", code, out)
	}
	if code, _, errOut := runCmd(t, "", nil, "frobnicate"); code != 2 || !strings.Contains(errOut, "Usage") {
		t.Fatalf("unknown command: %d %q", code, errOut)
	}
	if code, _, _ := runCmd(t, "", nil); code != 2 {
		t.Fatal("no command")
	}
	if code, _, _ := runCmd(t, "", nil, "serve", "--log-format=xml"); code != 1 {
		t.Fatal("bad flag accepted")
	}
}

func TestAdminCreateResetAndAuditVerify(t *testing.T) {
	data := "--data=" + t.TempDir()
	code, out, errOut := runCmd(t, "Anquan-Admin-1\n", nil, "admin", "create", data, "baomi", "secadmin")
	if code != 0 || !strings.Contains(out, "created baomi") {
		t.Fatalf("admin create: %d %q %q", code, out, errOut)
	}
	// Same username again: refused with a clear message.
	if code, _, errOut := runCmd(t, "Anquan-Admin-1\n", nil, "admin", "create", data, "baomi", "auditor"); code != 1 || !strings.Contains(errOut, "用户名已存在") {
		t.Fatalf("duplicate: %d %q", code, errOut)
	}
	// Only officer roles, and a policy-conforming password.
	if code, _, _ := runCmd(t, "Anquan-Admin-1\n", nil, "admin", "create", data, "x1", "staff"); code != 1 {
		t.Fatal("non-officer role accepted")
	}
	if code, _, errOut := runCmd(t, "weak\n", nil, "admin", "create", data, "x2", "auditor"); code != 1 || !strings.Contains(errOut, "password") {
		t.Fatalf("weak password: %d %q", code, errOut)
	}
	if code, out, _ := runCmd(t, "", map[string]string{"ZHENGWU_ADMIN_PASSWORD": "Xin-Mima-2026"}, "admin", "reset-password", data, "baomi"); code != 0 || !strings.Contains(out, "reset") {
		t.Fatalf("reset: %d %q", code, out)
	}
	if code, _, _ := runCmd(t, "Xin-Mima-2026\n", nil, "admin", "reset-password", data, "nobody"); code != 1 {
		t.Fatal("reset of unknown user")
	}
	code, out, _ = runCmd(t, "", nil, "audit", "verify", data)
	if code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("audit verify: %d %q", code, out)
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestServeDemoAndGracefulShutdown(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var out bytes.Buffer
	env := envOf(map[string]string{"ZHENGWU_DEMO_PASSWORD": "Demo-Pass-2026"})
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--data", dir, "--addr", addr, "--log-level", "warn"}, nil, &out, io.Discard, env)
	}()
	base := "http://" + addr
	waitReady(t, base)

	resp, err := http.Post(base+"/api/office/v1/auth/login", "application/json",
		strings.NewReader(`{"username":"director","password":"Demo-Pass-2026"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", err, resp)
	}
	var sess struct{ User struct{ DisplayName string } }
	_ = json.NewDecoder(resp.Body).Decode(&sess)
	resp.Body.Close()
	if sess.User.DisplayName != "王建国" {
		t.Fatalf("demo director: %+v", sess)
	}
	// History-mode fallback: a deep link gets the SPA's HTML; an unknown
	// API path stays a 404 problem.
	resp, _ = http.Get(base + "/office/documents/123")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("deep link: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	resp.Body.Close()
	resp, _ = http.Get(base + "/api/office/v1/nope")
	if resp.StatusCode != 404 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("unknown API path: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	resp.Body.Close()

	cancel() // as SIGTERM does
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not shut down")
	}
	if strings.Contains(out.String(), "Demo-Pass-2026") {
		t.Fatal("a password given in the environment was printed")
	}

	// A second start with --demo adds nothing and keeps working.
	ctx2, cancel2 := context.WithCancel(context.Background())
	go func() {
		done <- run(ctx2, []string{"serve", "--demo", "--data", dir, "--addr", addr, "--log-level", "warn"}, nil, io.Discard, io.Discard, env)
	}()
	waitReady(t, base)
	cancel2()
	<-done
	code, vout, _ := runCmd(t, "", nil, "audit", "verify", "--data="+dir)
	if code != 0 {
		t.Fatalf("audit after two demo starts: %s", vout)
	}
}

func TestGeneratedDemoPasswordIsPrintedOnce(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	for i, want := range []bool{true, false} {
		ctx, cancel := context.WithCancel(context.Background())
		var out bytes.Buffer
		done := make(chan int, 1)
		go func() {
			done <- run(ctx, []string{"serve", "--demo", "--target", "officeapi", "--data", dir, "--addr", addr}, nil, &out, io.Discard, envOf(nil))
		}()
		waitReady(t, "http://"+addr)
		cancel()
		<-done
		if got := strings.Contains(out.String(), "password:"); got != want {
			t.Fatalf("start %d printed password: %v, want %v (%q)", i+1, got, want, out.String())
		}
	}
}

func waitReady(t *testing.T, base string) {
	t.Helper()
	// Generous: a first start seeds hundreds of demo items, slow under -race
	// on a busy 2-core machine.
	testkit.Eventually(t, 3*time.Minute, "ready", func() bool {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
}
