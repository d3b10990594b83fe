package officeapi_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"zhengwu/officeapi/identity"
	"zhengwu/shared/testkit"
)

// loginAs logs in with a password and returns the session (any status
// but 200 fails).
func (e *env) loginAs(username, password string) identity.Session {
	e.T.Helper()
	r := e.do("POST", v1+"/auth/login", "", map[string]string{"username": username, "password": password})
	if r.Status != 200 {
		e.T.Fatalf("login %s: %d %s", username, r.Status, r.Body)
	}
	var s identity.Session
	testkit.Response{Body: r.Body}.Decode(e.T, &s)
	return s
}

// changePassword changes the password with a session's token.
func (e *env) changePassword(token, old, new string) (identity.Session, response) {
	e.T.Helper()
	r := e.do("POST", v1+"/auth/password", token, map[string]string{"oldPassword": old, "newPassword": new})
	var s identity.Session
	if r.Status == 200 {
		testkit.Response{Body: r.Body}.Decode(e.T, &s)
	}
	return s, r
}

// Username enumeration (issue #10): a real account locked with 423 while
// an unknown one got 401 forever. Both now get the same answers, in the
// same order, and the lockouts are audited.
func TestLoginDoesNotTellWhichUsernamesExist(t *testing.T) {
	e := newEnv(t)
	type answer struct {
		status        int
		code, message string
	}
	try := func(username string) []answer {
		var out []answer
		for i := 0; i < 7; i++ {
			r := e.do("POST", v1+"/auth/login", "", map[string]string{"username": username, "password": "Wrong-Pass-1"})
			m := wantProblem(t, r, r.Status, "")
			msg, _ := m["detail"].(string)
			out = append(out, answer{r.Status, m["code"].(string), msg})
		}
		return out
	}
	real, ghost := try("staff"), try("no-such-person")
	for i := range real {
		if real[i] != ghost[i] {
			t.Fatalf("attempt %d: real account %+v, unknown username %+v", i+1, real[i], ghost[i])
		}
	}
	if real[3].status != 401 || real[4].status != 423 || real[6].code != "account_locked" {
		t.Fatalf("lockout sequence: %+v", real)
	}
	// The real account is locked for real: the right password is refused.
	wantProblem(t, e.do("POST", v1+"/auth/login", "", map[string]string{"username": "staff", "password": demoPassword}), 423, "account_locked")
	// And the unknown one unlocks just as the real one does.
	e.Clock.Advance(15*time.Minute + time.Second)
	e.login("staff")
	wantProblem(t, e.do("POST", v1+"/auth/login", "", map[string]string{"username": "no-such-person", "password": "Wrong-Pass-1"}), 401, "invalid_credentials")

	entries, _ := e.Trail.List(context.Background(), 0, 10000)
	lockouts := map[string]bool{}
	for _, en := range entries {
		if en.Action == "auth.lockout" {
			lockouts[en.Target] = true
		}
	}
	if !lockouts["staff"] || !lockouts["no-such-person"] {
		t.Fatalf("lockouts audited: %v", lockouts)
	}
}

// The two failures cost about the same time: an unknown username hashes a
// dummy password. The tries alternate (so that a load on the machine hits
// both alike) and the bound is loose (a shared machine must not make the
// test flaky): without the dummy hash the unknown username answers ~60
// times faster than a wrong password.
func TestUnknownUsernameTakesAsLongAsAWrongPassword(t *testing.T) {
	e := newEnv(t)
	var real, ghost []time.Duration
	timed := func(username string) time.Duration {
		start := time.Now()
		e.do("POST", v1+"/auth/login", "", map[string]string{"username": username, "password": "Wrong-Pass-1"})
		return time.Since(start)
	}
	for i := 0; i < 4; i++ { // under the lockout threshold
		real = append(real, timed("clerk"))
		ghost = append(ghost, timed("nobody-here"))
	}
	median := func(ds []time.Duration) time.Duration {
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return (ds[1] + ds[2]) / 2
	}
	r, g := median(real), median(ghost)
	t.Logf("wrong password: %v, unknown username: %v", r, g)
	if g < r/4 || g > r*4 {
		t.Fatalf("unknown username answered in %v, a wrong password in %v", g, r)
	}
}

// MLPS level 3: the first password is the administrator's, so the first
// login may only change it; the restricted token says so and every other
// route refuses it with password_change_required.
func TestFirstLoginMustChangeThePassword(t *testing.T) {
	e := newEnv(t)
	sys := e.token("sysadmin")
	r := e.do("POST", v1+"/users", sys, map[string]any{"username": "xinren", "displayName": "新人", "password": "Chushi-Mima-2026",
		"departmentIds": []string{"mishu1"}})
	if r.Status != 201 || r.JSON()["passwordChange"] != "first_login" {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	s := e.loginAs("xinren", "Chushi-Mima-2026")
	if !s.PasswordChangeRequired || s.PasswordChangeReason != "first_login" {
		t.Fatalf("session: %+v", s)
	}
	p, err := e.Identity.User(context.Background(), s.User.ID)
	if err != nil || p.PasswordChange != "first_login" {
		t.Fatal(err)
	}
	for _, path := range []string{"/me", "/info/items", "/info/desktop", "/org/departments", "/password-policy"} {
		wantProblem(t, e.do("GET", v1+path, s.AccessToken, nil), 403, "password_change_required")
	}
	// A refresh keeps the restriction.
	r = e.do("POST", v1+"/auth/refresh", "", map[string]string{"refreshToken": s.RefreshToken})
	if r.Status != 200 || r.JSON()["passwordChangeRequired"] != true {
		t.Fatalf("refresh: %d %s", r.Status, r.Body)
	}
	wantProblem(t, e.do("GET", v1+"/me", r.JSON()["accessToken"].(string), nil), 403, "password_change_required")

	testkit.Run(t, e.App,
		testkit.Scenario{Name: "wrong old password", Method: "POST", Path: v1 + "/auth/password", Token: s.AccessToken,
			Body: map[string]string{"oldPassword": "Wrong-Pass-1", "newPassword": "Ziji-Xuan-2026"}, Status: 400, Field: "oldPassword"},
		testkit.Scenario{Name: "the same again", Method: "POST", Path: v1 + "/auth/password", Token: s.AccessToken,
			Body: map[string]string{"oldPassword": "Chushi-Mima-2026", "newPassword": "Chushi-Mima-2026"}, Status: 400, Field: "newPassword"},
		testkit.Scenario{Name: "a common one", Method: "POST", Path: v1 + "/auth/password", Token: s.AccessToken,
			Body: map[string]string{"oldPassword": "Chushi-Mima-2026", "newPassword": "P@ssw0rd2026"}, Status: 400, Field: "newPassword"},
		testkit.Scenario{Name: "with a NUL byte", Method: "POST", Path: v1 + "/auth/password", Token: s.AccessToken,
			Body: map[string]string{"oldPassword": "Chushi-Mima-2026", "newPassword": "Ziji-Xuan\x00-2026"}, Status: 400, Field: "newPassword"},
		testkit.Scenario{Name: "no token", Method: "POST", Path: v1 + "/auth/password",
			Body: map[string]string{"oldPassword": "Chushi-Mima-2026", "newPassword": "Ziji-Xuan-2026"}, Status: 401, Code: "unauthenticated"},
	)
	// The wrong old password counted as a failed login (a stolen token
	// cannot guess it without locking the account).
	if u, _ := e.Identity.User(context.Background(), s.User.ID); len(u.Failures) != 1 {
		t.Fatalf("failures after a wrong old password: %v", u.Failures)
	}
	e.Clock.Advance(time.Second)
	s2, r := e.changePassword(s.AccessToken, "Chushi-Mima-2026", "Ziji-Xuan-2026")
	if r.Status != 200 || s2.PasswordChangeRequired {
		t.Fatalf("change: %d %s", r.Status, r.Body)
	}
	if r := e.do("GET", v1+"/me", s2.AccessToken, nil); r.Status != 200 {
		t.Fatalf("me after the change: %d %s", r.Status, r.Body)
	}
	// The restricted session is over; the new password logs in fully.
	wantProblem(t, e.do("POST", v1+"/auth/refresh", "", map[string]string{"refreshToken": s.RefreshToken}), 401, "unauthenticated")
	if s3 := e.loginAs("xinren", "Ziji-Xuan-2026"); s3.PasswordChangeRequired {
		t.Fatal("still restricted after the change")
	}
	// The change cleared the failure.
	u, _ := e.Identity.User(context.Background(), s.User.ID)
	if len(u.Failures) != 0 {
		t.Fatalf("failures not cleared by the change: %v", u.Failures)
	}
}

// An administrator's reset forces a change at the next login.
func TestResetForcesAChange(t *testing.T) {
	e := newEnv(t)
	sys := e.token("sysadmin")
	if r := e.do("POST", v1+"/users/"+e.userID("clerk")+"/password", sys, map[string]string{"password": "Chongzhi-Mima-2026"}); r.Status != 204 {
		t.Fatalf("reset: %d %s", r.Status, r.Body)
	}
	s := e.loginAs("clerk", "Chongzhi-Mima-2026")
	if !s.PasswordChangeRequired || s.PasswordChangeReason != "reset" {
		t.Fatalf("after a reset: %+v", s)
	}
	wantProblem(t, e.do("GET", v1+"/me", s.AccessToken, nil), 403, "password_change_required")
}

// A password older than --password-max-age (90 days) may log in only to
// be changed.
func TestExpiredPasswordMustBeChanged(t *testing.T) {
	e := newEnv(t)
	if s := e.login("staff"); s.PasswordChangeRequired {
		t.Fatal("a fresh demo password is restricted")
	}
	e.Clock.Advance(91 * 24 * time.Hour)
	s := e.login("staff")
	if !s.PasswordChangeRequired || s.PasswordChangeReason != "expired" {
		t.Fatalf("after 91 days: %+v", s)
	}
	wantProblem(t, e.do("GET", v1+"/me", s.AccessToken, nil), 403, "password_change_required")
	if s2, r := e.changePassword(s.AccessToken, demoPassword, "Xin-Jidu-Mima-26"); r.Status != 200 || s2.PasswordChangeRequired {
		t.Fatalf("change: %d %s", r.Status, r.Body)
	}
}

// The last five passwords (the current one among them) may not be reused.
func TestPasswordHistory(t *testing.T) {
	e := newEnv(t)
	pw := []string{demoPassword, "Lishi-Mima-1a", "Lishi-Mima-2b", "Lishi-Mima-3c", "Lishi-Mima-4d", "Lishi-Mima-5e"}
	s := e.login("staff")
	for i := 1; i <= 4; i++ {
		var r response
		if s, r = e.changePassword(s.AccessToken, pw[i-1], pw[i]); r.Status != 200 {
			t.Fatalf("change %d: %d %s", i, r.Status, r.Body)
		}
	}
	// Current: pw[4]; before it pw[3], pw[2], pw[1], pw[0]: all five refused.
	for _, old := range pw[:5] {
		_, r := e.changePassword(s.AccessToken, pw[4], old)
		m := wantProblem(t, r, 400, "invalid")
		if f := testkit.ProblemFields(m); len(f) != 1 || f[0] != "newPassword" {
			t.Fatalf("reuse of %s: %s", old, r.Body)
		}
	}
	s, _ = e.changePassword(s.AccessToken, pw[4], pw[5])
	// Now pw[0] is six back: allowed again.
	if _, r := e.changePassword(s.AccessToken, pw[5], pw[0]); r.Status != 200 {
		t.Fatalf("a password six back: %d %s", r.Status, r.Body)
	}
}

// The policy refuses common passwords and control characters wherever a
// password is set.
func TestPasswordPolicyOnEveryPath(t *testing.T) {
	e := newEnv(t)
	sys := e.token("sysadmin")
	staff := e.userID("staff")
	for _, pw := range []string{"Password1", "P@ssw0rd", "Qwerty123", "Admin123!", "Abc-defg\x001", "Abc-defg\x1b[1"} {
		testkit.Run(t, e.App,
			testkit.Scenario{Name: "create " + pw, Method: "POST", Path: v1 + "/users", Token: sys,
				Body: map[string]any{"username": "mima", "displayName": "x", "password": pw}, Status: 400, Field: "password"},
			testkit.Scenario{Name: "reset " + pw, Method: "POST", Path: v1 + "/users/" + staff + "/password", Token: sys,
				Body: map[string]string{"password": pw}, Status: 400, Field: "password"},
		)
	}
	r := e.do("GET", v1+"/password-policy", e.token("secadmin"), nil)
	if r.Status != 200 || r.JSON()["maxAgeDays"] != float64(90) || r.JSON()["history"] != float64(5) {
		t.Fatalf("policy view: %d %s", r.Status, r.Body)
	}
}
