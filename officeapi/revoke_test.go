package officeapi_test

import (
	"encoding/json"
	"testing"
	"time"

	"zhengwu/officeapi/identity"
	"zhengwu/shared/testkit"
)

const mePath = "/api/office/v1/me"

// wantMe checks that an access token is accepted.
func (e *env) wantMe(token string) {
	e.T.Helper()
	if r := e.do("GET", mePath, token, nil); r.Status != 200 {
		e.T.Fatalf("me: %d %s", r.Status, r.Body)
	}
}

// wantRefused checks that token no longer opens GET /me (revoked).
func (e *env) wantRefused(token string) {
	e.T.Helper()
	testkit.WantProblem(e.T, e.do("GET", mePath, token, nil), 401, "unauthenticated")
}

// signedIn logs username in and checks that the access token works.
func (e *env) signedIn(username string) identity.Session {
	e.T.Helper()
	s := e.login(username)
	e.wantMe(s.AccessToken)
	return s
}

func (e *env) refresh(refreshToken string) identity.Session {
	e.T.Helper()
	r := e.do("POST", "/api/office/v1/auth/refresh", "", map[string]string{"refreshToken": refreshToken})
	if r.Status != 200 {
		e.T.Fatalf("refresh: %d %s", r.Status, r.Body)
	}
	var s identity.Session
	_ = json.Unmarshal(r.Body, &s)
	return s
}

func TestLogoutRevokesTheAccessToken(t *testing.T) {
	e := newEnv(t)
	s := e.login("staff")
	other := e.login("staff") // another session of the same user
	e.wantMe(s.AccessToken)   // verified once: in the cache
	if r := e.do("POST", "/api/office/v1/auth/logout", "", map[string]string{"refreshToken": s.RefreshToken}); r.Status != 204 {
		t.Fatalf("logout: %d", r.Status)
	}
	e.wantRefused(s.AccessToken)
	e.wantMe(other.AccessToken)

	// Still refused by a restarted process (new token cache, list loaded
	// from the store), which accepts the other session's token.
	e2 := e.restart()
	e2.wantRefused(s.AccessToken)
	e2.wantMe(other.AccessToken)
}

func TestRefreshReuseRevokesTheFamilysAccessTokens(t *testing.T) {
	e := newEnv(t)
	s1 := e.login("staff")
	s2 := e.refresh(s1.RefreshToken)
	e.wantMe(s1.AccessToken)
	e.wantMe(s2.AccessToken)
	// The spent refresh token comes back: every access token of the family dies.
	wantProblem(t, e.do("POST", "/api/office/v1/auth/refresh", "", map[string]string{"refreshToken": s1.RefreshToken}), 401, "unauthenticated")
	e.wantRefused(s1.AccessToken)
	e.wantRefused(s2.AccessToken)
	e.restart().wantRefused(s2.AccessToken)
}

func TestDisableRevokesTheUsersAccessTokens(t *testing.T) {
	e := newEnv(t)
	s := e.login("staff")
	bystander := e.login("clerk")
	e.wantMe(s.AccessToken)
	admin := e.token("sysadmin")
	e.Clock.Advance(time.Second)
	path := "/api/office/v1/users/" + e.userID("staff")
	if r := e.do("PATCH", path, admin, map[string]any{"disabled": true}); r.Status != 200 {
		t.Fatalf("disable: %d %s", r.Status, r.Body)
	}
	e.wantRefused(s.AccessToken)
	e.wantMe(bystander.AccessToken)
	e.wantMe(admin)
	// Enabled again, the user logs in and the new token works.
	e.Clock.Advance(time.Second)
	if r := e.do("PATCH", path, admin, map[string]any{"disabled": false}); r.Status != 200 {
		t.Fatalf("enable: %d %s", r.Status, r.Body)
	}
	e.wantMe(e.token("staff"))
	e.wantRefused(s.AccessToken)
}

func TestPasswordResetRevokesEarlierTokensNotLaterOnes(t *testing.T) {
	e := newEnv(t)
	s := e.signedIn("staff")
	admin := e.token("sysadmin")
	e.Clock.Advance(time.Second)
	if r := e.do("POST", "/api/office/v1/users/"+e.userID("staff")+"/password", admin,
		map[string]string{"password": "Xinren-Pass-1"}); r.Status != 204 && r.Status != 200 {
		t.Fatalf("reset: %d %s", r.Status, r.Body)
	}
	e.wantRefused(s.AccessToken)
	// The session from before the reset cannot mint a new token either.
	wantProblem(t, e.do("POST", "/api/office/v1/auth/refresh", "", map[string]string{"refreshToken": s.RefreshToken}), 401, "unauthenticated")
	// A login after the reset (same clock instant) works, in this process
	// and in a restarted one, once the user has changed the password the
	// administrator set.
	r := e.do("POST", "/api/office/v1/auth/login", "", map[string]string{"username": "staff", "password": "Xinren-Pass-1"})
	if r.Status != 200 {
		t.Fatalf("login after reset: %d %s", r.Status, r.Body)
	}
	var fresh identity.Session
	_ = json.Unmarshal(r.Body, &fresh)
	wantProblem(t, e.do("GET", mePath, fresh.AccessToken, nil), 403, "password_change_required")
	r = e.do("POST", "/api/office/v1/auth/password", fresh.AccessToken, map[string]string{"oldPassword": "Xinren-Pass-1", "newPassword": "Ziji-Xuan-2026"})
	if r.Status != 200 {
		t.Fatalf("change after reset: %d %s", r.Status, r.Body)
	}
	_ = json.Unmarshal(r.Body, &fresh)
	e.wantMe(fresh.AccessToken)
	e.wantMe(e.refresh(fresh.RefreshToken).AccessToken)
	e2 := e.restart()
	e2.wantMe(fresh.AccessToken)
	e2.wantRefused(s.AccessToken)
}

// Revoking a grant refuses the tokens that still carry it; a refresh
// issues one without it.
func TestRevokedGrantRevokesTheUsersTokens(t *testing.T) {
	e := newEnv(t)
	s := e.signedIn("editor")
	sec := e.token("secadmin")
	uid := e.userID("editor")
	r := e.do("GET", "/api/office/v1/users/"+uid+"/grants", sec, nil)
	var grants struct {
		Items []identity.Grant `json:"items"`
	}
	if err := json.Unmarshal(r.Body, &grants); err != nil || len(grants.Items) == 0 {
		t.Fatalf("grants: %d %s", r.Status, r.Body)
	}
	e.Clock.Advance(time.Second)
	if r := e.do("DELETE", "/api/office/v1/users/"+uid+"/grants/"+grants.Items[0].ID, sec, nil); r.Status/100 != 2 {
		t.Fatalf("revoke grant: %d %s", r.Status, r.Body)
	}
	e.wantRefused(s.AccessToken)
	e.wantMe(e.refresh(s.RefreshToken).AccessToken)
}

// Cutting a user's rights revokes its tokens, widening them does not: a
// lower clearance, a department left (as disabling does, above).
func TestCutRightsRevokeTheUsersTokens(t *testing.T) {
	e := newEnv(t)
	sec, admin := e.token("secadmin"), e.token("sysadmin")
	uid := e.userID("staff") // 非密, in 秘书二处
	clearance := "/api/office/v1/users/" + uid + "/clearance"
	user := "/api/office/v1/users/" + uid
	for _, step := range []struct {
		name, method, path, token string
		body                      any
		revoked                   bool
	}{
		{"clearance raised", "PUT", clearance, sec, map[string]string{"clearance": "机密"}, false},
		{"clearance kept", "PUT", clearance, sec, map[string]string{"clearance": "机密"}, false},
		{"clearance lowered", "PUT", clearance, sec, map[string]string{"clearance": "秘密"}, true},
		{"a department joined", "PATCH", user, admin, map[string]any{"departmentIds": []string{"mishu2", "mishu1"}}, false},
		{"a department left", "PATCH", user, admin, map[string]any{"departmentIds": []string{"mishu1"}}, true},
	} {
		s := e.login("staff")
		e.wantMe(s.AccessToken)
		e.Clock.Advance(time.Second)
		if r := e.do(step.method, step.path, step.token, step.body); r.Status != 200 {
			t.Fatalf("%s: %d %s", step.name, r.Status, r.Body)
		}
		r := e.do("GET", mePath, s.AccessToken, nil)
		if step.revoked && r.Status != 401 || !step.revoked && r.Status != 200 {
			t.Errorf("%s: the earlier token answers %d", step.name, r.Status)
		}
	}
}
