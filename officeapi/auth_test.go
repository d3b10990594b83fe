package officeapi_test

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"zhengwu/officeapi/identity"
)

func TestLoginAndMe(t *testing.T) {
	e := newEnv(t)
	s := e.login("editor")
	if s.RefreshToken == "" || s.ExpiresIn != 900 || s.User.Username != "editor" || s.User.DisplayName != "李文静" {
		t.Fatalf("session: %+v", s)
	}
	r := e.do("GET", "/api/office/v1/me", s.AccessToken, nil)
	if r.Status != 200 {
		t.Fatalf("me: %d %s", r.Status, r.Body)
	}
	var me identity.Me
	_ = json.Unmarshal(r.Body, &me)
	if me.Clearance != "秘密" || len(me.Departments) != 1 || me.Departments[0].Name != "信息处" ||
		len(me.Posts) != 1 || me.Posts[0].Name != "信息编辑" {
		t.Fatalf("me: %+v", me)
	}
	if !strings.Contains(strings.Join(me.Permissions, ","), "portal.item.edit") {
		t.Fatalf("editor lacks portal.item.edit: %v", me.Permissions)
	}
	if strings.Contains(string(r.Body), "passwordHash") || strings.Contains(string(r.Body), "argon2") {
		t.Fatal("me leaks the password hash")
	}
	// Username lookup is case-insensitive.
	r = e.do("POST", "/api/office/v1/auth/login", "", map[string]string{"username": "EDITOR", "password": demoPassword})
	if r.Status != 200 {
		t.Fatalf("case-insensitive login: %d", r.Status)
	}
}

func TestMeNeedsAValidToken(t *testing.T) {
	e := newEnv(t)
	for _, h := range []string{"", "garbage", e.token("staff") + "x"} {
		wantProblem(t, e.do("GET", "/api/office/v1/me", h, nil), 401, "unauthenticated")
	}
	// An access token expires after 15 minutes.
	tok := e.token("staff")
	e.Clock.Advance(16 * time.Minute)
	wantProblem(t, e.do("GET", "/api/office/v1/me", tok, nil), 401, "unauthenticated")
}

func TestWrongPasswordAndUnknownUserLookAlike(t *testing.T) {
	e := newEnv(t)
	a := wantProblem(t, e.do("POST", "/api/office/v1/auth/login", "", map[string]string{"username": "staff", "password": "Wrong-Pass-1"}), 401, "invalid_credentials")
	b := wantProblem(t, e.do("POST", "/api/office/v1/auth/login", "", map[string]string{"username": "nobody", "password": "Wrong-Pass-1"}), 401, "invalid_credentials")
	if a["detail"] != "用户名或密码错误" || a["detail"] != b["detail"] {
		t.Fatalf("messages differ or are not Chinese: %v / %v", a["detail"], b["detail"])
	}
}

func TestLockoutAfterFiveFailures(t *testing.T) {
	e := newEnv(t)
	bad := map[string]string{"username": "staff", "password": "Wrong-Pass-1"}
	for i := 0; i < 4; i++ {
		wantProblem(t, e.do("POST", "/api/office/v1/auth/login", "", bad), 401, "invalid_credentials")
	}
	m := wantProblem(t, e.do("POST", "/api/office/v1/auth/login", "", bad), 423, "account_locked")
	until, err := time.Parse(time.RFC3339, m["lockedUntil"].(string))
	if err != nil || until.Sub(e.Clock.Now()) < 14*time.Minute || until.Sub(e.Clock.Now()) > 15*time.Minute {
		t.Fatalf("lockedUntil %v (%v)", m["lockedUntil"], err)
	}
	if !strings.Contains(m["detail"].(string), "锁定") {
		t.Fatalf("lock message: %v", m["detail"])
	}
	// Even the right password is refused while locked.
	good := map[string]string{"username": "staff", "password": demoPassword}
	wantProblem(t, e.do("POST", "/api/office/v1/auth/login", "", good), 423, "account_locked")
	// Another account is not affected.
	e.login("clerk")
	e.Clock.Advance(15*time.Minute + time.Second)
	e.login("staff")
}

func TestFailuresOutsideTheWindowDoNotLock(t *testing.T) {
	e := newEnv(t)
	bad := map[string]string{"username": "staff", "password": "Wrong-Pass-1"}
	for i := 0; i < 8; i++ {
		wantProblem(t, e.do("POST", "/api/office/v1/auth/login", "", bad), 401, "invalid_credentials")
		e.Clock.Advance(4 * time.Minute) // 4 failures per 16 minutes < 5 per 15
	}
	e.login("staff")
}

func TestConcurrentGuessesAllCount(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Go(func() {
			e.do("POST", "/api/office/v1/auth/login", "", map[string]string{"username": "staff", "password": "Wrong-Pass-1"})
		})
	}
	wg.Wait()
	wantProblem(t, e.do("POST", "/api/office/v1/auth/login", "", map[string]string{"username": "staff", "password": demoPassword}), 423, "account_locked")
}

func TestRefreshRotatesAndReuseRevokesTheFamily(t *testing.T) {
	e := newEnv(t)
	s1 := e.login("staff")
	r := e.do("POST", "/api/office/v1/auth/refresh", "", map[string]string{"refreshToken": s1.RefreshToken})
	if r.Status != 200 {
		t.Fatalf("refresh: %d %s", r.Status, r.Body)
	}
	var s2 identity.Session
	_ = json.Unmarshal(r.Body, &s2)
	if s2.RefreshToken == s1.RefreshToken || s2.AccessToken == "" {
		t.Fatal("refresh did not rotate")
	}
	// The spent token comes back: stolen. The whole family dies, including s2.
	wantProblem(t, e.do("POST", "/api/office/v1/auth/refresh", "", map[string]string{"refreshToken": s1.RefreshToken}), 401, "unauthenticated")
	wantProblem(t, e.do("POST", "/api/office/v1/auth/refresh", "", map[string]string{"refreshToken": s2.RefreshToken}), 401, "unauthenticated")
	// Another session of the same user lives on.
	s3 := e.login("staff")
	if r := e.do("POST", "/api/office/v1/auth/refresh", "", map[string]string{"refreshToken": s3.RefreshToken}); r.Status != 200 {
		t.Fatalf("unrelated session revoked: %d", r.Status)
	}
}

func TestIdleSessionAndLogout(t *testing.T) {
	e := newEnv(t)
	s := e.login("staff")
	e.Clock.Advance(31 * time.Minute)
	wantProblem(t, e.do("POST", "/api/office/v1/auth/refresh", "", map[string]string{"refreshToken": s.RefreshToken}), 401, "unauthenticated")

	s = e.login("staff")
	if r := e.do("POST", "/api/office/v1/auth/logout", "", map[string]string{"refreshToken": s.RefreshToken}); r.Status != 204 {
		t.Fatalf("logout: %d", r.Status)
	}
	wantProblem(t, e.do("POST", "/api/office/v1/auth/refresh", "", map[string]string{"refreshToken": s.RefreshToken}), 401, "unauthenticated")
	// Logging out twice, or with an unknown token, is fine.
	if r := e.do("POST", "/api/office/v1/auth/logout", "", map[string]string{"refreshToken": s.RefreshToken}); r.Status != 204 {
		t.Fatalf("second logout: %d", r.Status)
	}
}

func TestDisabledAccount(t *testing.T) {
	e := newEnv(t)
	s := e.login("staff")
	admin := e.token("sysadmin")
	if r := e.do("PATCH", "/api/office/v1/users/"+e.userID("staff"), admin, map[string]any{"disabled": true}); r.Status != 200 {
		t.Fatalf("disable: %d %s", r.Status, r.Body)
	}
	wantProblem(t, e.do("POST", "/api/office/v1/auth/login", "", map[string]string{"username": "staff", "password": demoPassword}), 401, "invalid_credentials")
	wantProblem(t, e.do("POST", "/api/office/v1/auth/refresh", "", map[string]string{"refreshToken": s.RefreshToken}), 401, "unauthenticated")
}
