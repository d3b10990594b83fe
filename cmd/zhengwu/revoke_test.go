package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
	"zhengwu/shared/testkit"
)

// A password reset by the admin CLI — another process — reaches a running
// server through the store: the old access token is refused within the
// revocation poll interval, and a login with the new password works.
func TestCLIPasswordResetRevokesTokensOfARunningServer(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	env := envOf(map[string]string{"ZHENGWU_DEMO_PASSWORD": "Demo-Pass-2026"})
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--target", "officeapi", "--data", dir, "--addr", addr, "--log-level", "warn"},
			nil, io.Discard, io.Discard, env)
	}()
	defer func() { cancel(); <-done }()
	base := "http://" + addr
	waitReady(t, base)

	login := func(password string) string {
		t.Helper()
		resp, err := http.Post(base+"/api/office/v1/auth/login", "application/json",
			strings.NewReader(`{"username":"staff","password":"`+password+`"}`))
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("login: %v %v", err, resp)
		}
		defer resp.Body.Close()
		var s struct{ AccessToken string }
		_ = json.NewDecoder(resp.Body).Decode(&s)
		return s.AccessToken
	}
	me := func(token string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", base+"/api/office/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	old := login("Demo-Pass-2026")
	if code := me(old); code != 200 {
		t.Fatalf("me: %d", code)
	}
	time.Sleep(2 * time.Millisecond) // the reset comes strictly after the token's issue time
	if code, out, errOut := runCmd(t, "", map[string]string{"ZHENGWU_ADMIN_PASSWORD": "Xin-Mima-2026"},
		"admin", "reset-password", "--data="+dir, "staff"); code != 0 {
		t.Fatalf("reset: %d %q %q", code, out, errOut)
	}
	testkit.Eventually(t, 10*time.Second, "refusing a token issued before the password reset", func() bool { return me(old) == 401 })
	// The reset is a break-glass one: the user must change the password
	// before anything else.
	restricted := login("Xin-Mima-2026")
	if code := me(restricted); code != 403 {
		t.Fatalf("me after a new login, before the forced change: %d", code)
	}
	req, _ := http.NewRequest("POST", base+"/api/office/v1/auth/password",
		strings.NewReader(`{"oldPassword":"Xin-Mima-2026","newPassword":"Ziji-Xuan-2026"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+restricted)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("change the password: %v %v", err, resp)
	}
	resp.Body.Close()
	if code := me(login("Ziji-Xuan-2026")); code != 200 {
		t.Fatalf("me after the change: %d", code)
	}
}
