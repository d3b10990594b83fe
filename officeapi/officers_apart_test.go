package officeapi_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"zhengwu/officeapi/identity"
	"zhengwu/shared/audit"
	"zhengwu/shared/testkit"
)

const v1 = "/api/office/v1"

// Finding 3 of issue #10: the system administrator set the security
// administrator's password, logged in as them and granted rights; the
// same on the auditor; disabled the security administrator. No officer
// acts on another officer's account.
func TestNoOfficerActsOnAnotherOfficersAccount(t *testing.T) {
	e := newEnv(t)
	sys, sec := e.token("sysadmin"), e.token("secadmin")
	secID, audID := e.userID("secadmin"), e.userID("auditor")
	grants := func(id string) []identity.Grant {
		gs, err := e.Identity.Grants(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return gs
	}
	audGrant := grants(audID)[0].ID
	refused := func(name, method, path, token string, body any) testkit.Scenario {
		return testkit.Scenario{Name: name, Method: method, Path: v1 + path, Token: token, Body: body, Status: 403, Code: "officer_account"}
	}
	testkit.Run(t, e.App,
		refused("sysadmin sets secadmin's password", "POST", "/users/"+secID+"/password", sys, map[string]string{"password": "Duoquan-Mima-2026"}),
		refused("sysadmin sets the auditor's password", "POST", "/users/"+audID+"/password", sys, map[string]string{"password": "Duoquan-Mima-2026"}),
		refused("sysadmin disables secadmin", "PATCH", "/users/"+secID, sys, map[string]any{"disabled": true}),
		refused("sysadmin renames the auditor", "PATCH", "/users/"+audID, sys, map[string]any{"displayName": "x"}),
		refused("sysadmin unlocks the auditor", "PATCH", "/users/"+audID, sys, map[string]any{"unlock": true}),
		refused("sysadmin puts secadmin in a department", "PATCH", "/users/"+secID, sys, map[string]any{"departmentIds": []string{"xinxi"}}),
		refused("sysadmin gives the auditor a post", "PATCH", "/users/"+audID, sys, map[string]any{"postIds": []string{"xinxi-bianji"}}),
		refused("secadmin sets the auditor's clearance", "PUT", "/users/"+audID+"/clearance", sec, map[string]string{"clearance": "机密"}),
		refused("secadmin revokes the auditor's role", "DELETE", "/users/"+audID+"/grants/"+audGrant, sec, nil),
		refused("secadmin gives the auditor another role", "POST", "/users/"+audID+"/grants", sec, map[string]string{"role": "editor", "departmentId": "xinxi"}),
	)
	// Nothing changed: secadmin still logs in with its own password, the
	// one sysadmin tried does not work, and the auditor keeps its role.
	e.login("secadmin")
	wantProblem(t, e.do("POST", v1+"/auth/login", "", map[string]string{"username": "secadmin", "password": "Duoquan-Mima-2026"}), 401, "invalid_credentials")
	if gs := grants(audID); len(gs) != 1 || gs[0].Role != "auditor" {
		t.Fatalf("auditor's grants: %+v", gs)
	}
	u, _ := e.Identity.User(context.Background(), secID)
	if u.Disabled || len(u.DepartmentIDs) != 0 {
		t.Fatalf("secadmin changed: %+v", u)
	}
}

// An officer does not act on its own rights either: its departments,
// grants, clearance; its own password only by the change-password form.
func TestNoOfficerActsOnItsOwnRights(t *testing.T) {
	e := newEnv(t)
	sys, sec := e.token("sysadmin"), e.token("secadmin")
	sysID, secID := e.userID("sysadmin"), e.userID("secadmin")
	secGrant := func() string {
		gs, _ := e.Identity.Grants(context.Background(), secID)
		return gs[0].ID
	}()
	own := func(name, method, path, token string, body any) testkit.Scenario {
		return testkit.Scenario{Name: name, Method: method, Path: v1 + path, Token: token, Body: body, Status: 403, Code: "own_account"}
	}
	testkit.Run(t, e.App,
		own("sysadmin joins a department", "PATCH", "/users/"+sysID, sys, map[string]any{"departmentIds": []string{"xinxi"}}),
		own("sysadmin takes a post", "PATCH", "/users/"+sysID, sys, map[string]any{"postIds": []string{"xinxi-xitong"}}),
		own("sysadmin resets its own password", "POST", "/users/"+sysID+"/password", sys, map[string]string{"password": "Ziji-Chongzhi-2026"}),
		own("sysadmin renames itself", "PATCH", "/users/"+sysID, sys, map[string]any{"displayName": "超级管理员"}),
		own("secadmin raises its own clearance", "PUT", "/users/"+secID+"/clearance", sec, map[string]string{"clearance": "秘密"}),
		own("secadmin lowers its own clearance", "PUT", "/users/"+secID+"/clearance", sec, map[string]string{"clearance": "非密"}),
		own("secadmin revokes its own role", "DELETE", "/users/"+secID+"/grants/"+secGrant, sec, nil),
		testkit.Scenario{Name: "secadmin grants itself", Method: "POST", Path: v1 + "/users/" + secID + "/grants", Token: sec,
			Body: map[string]string{"role": "editor", "departmentId": "xinxi"}, Status: 403, Code: "self_grant"},
	)
	u, _ := e.Identity.User(context.Background(), secID)
	if u.Clearance != "机密" {
		t.Fatalf("secadmin's clearance changed to %s", u.Clearance)
	}
	s, _ := e.Identity.User(context.Background(), sysID)
	if len(s.DepartmentIDs) != 0 || len(s.PostIDs) != 0 {
		t.Fatalf("sysadmin joined: %+v", s)
	}
}

// Officer accounts belong to no department (the demo seed puts them in
// none), and an officer role goes only to an account in no department
// and with no other role.
func TestOfficerAccountsBelongToNoDepartment(t *testing.T) {
	e := newEnv(t)
	for _, who := range []string{"sysadmin", "secadmin", "auditor"} {
		u, _ := e.Identity.User(context.Background(), e.userID(who))
		if len(u.DepartmentIDs) != 0 || len(u.PostIDs) != 0 {
			t.Errorf("demo %s is in %v / %v", who, u.DepartmentIDs, u.PostIDs)
		}
	}
	sec, sys := e.token("secadmin"), e.token("sysadmin")
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "a member of a department", Method: "POST", Path: v1 + "/users/" + e.userID("staff") + "/grants",
			Token: sec, Body: map[string]string{"role": "auditor"}, Status: 409, Code: "officer_in_department"},
	)
	r := e.do("POST", v1+"/users", sys, map[string]any{"username": "lianren", "displayName": "兼任者", "password": "Xinren-Pass-1"})
	id := r.JSON()["id"].(string)
	if r := e.do("POST", v1+"/users/"+id+"/grants", sec, map[string]string{"role": "staff"}); r.Status != 201 {
		t.Fatalf("grant staff: %d %s", r.Status, r.Body)
	}
	wantProblem(t, e.do("POST", v1+"/users/"+id+"/grants", sec, map[string]string{"role": "sysadmin"}), 409, "officer_exclusive")
}

// requestChange posts an officer-change request and returns its id.
func (e *env) requestChange(token string, body map[string]any) string {
	e.T.Helper()
	r := e.do("POST", v1+"/officer-changes", token, body)
	if r.Status != 201 {
		e.T.Fatalf("request %v: %d %s", body, r.Status, r.Body)
	}
	m := r.JSON()
	if m["state"] != "requested" || m["requestedBy"] == "" || m["expiresAt"] == nil {
		e.T.Fatalf("request: %s", r.Body)
	}
	return m["id"].(string)
}

// A change to an officer's account takes a second officer: sysadmin asks
// to reset the auditor's password, the security administrator approves,
// the auditor gets a one-time password and must change it at once.
func TestOfficerChangeTakesASecondOfficer(t *testing.T) {
	e := newEnv(t)
	sys, sec, aud := e.token("sysadmin"), e.token("secadmin"), e.token("auditor")
	audID := e.userID("auditor")
	id := e.requestChange(sys, map[string]any{"userId": audID, "kind": "password_reset", "reason": "审计员忘记密码，本人当面申请"})

	// Pending: every officer sees it; nothing happened yet.
	for _, tok := range []string{sys, sec, aud} {
		r := e.do("GET", v1+"/officer-changes?state=requested", tok, nil)
		if r.Status != 200 || !json.Valid(r.Body) || r.JSON()["total"] != float64(1) {
			t.Fatalf("pending list: %d %s", r.Status, r.Body)
		}
	}
	wantProblem(t, e.do("GET", v1+"/officer-changes", e.token("staff"), nil), 403, "forbidden")
	e.login("auditor")

	approve := v1 + "/officer-changes/" + id + "/approve"
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "the requester", Method: "POST", Path: approve, Token: sys, Status: 403, Code: "same_officer"},
		testkit.Scenario{Name: "the account's holder", Method: "POST", Path: approve, Token: aud, Status: 403, Code: "own_account"},
		testkit.Scenario{Name: "staff", Method: "POST", Path: approve, Token: e.token("staff"), Status: 403, Code: "forbidden"},
	)
	e.Clock.Advance(time.Second)
	r := e.do("POST", approve, sec, map[string]string{"note": "已电话核实"})
	if r.Status != 200 {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	var d identity.Decision
	r2 := testkit.Response{Body: r.Body}
	r2.Decode(t, &d)
	if d.Change.State != "approved" || d.TemporaryPassword == "" || d.Change.DecidedBy != e.userID("secadmin") {
		t.Fatalf("decision: %s", r.Body)
	}
	wantProblem(t, e.do("POST", approve, sec, nil), 409, "invalid_state")

	// The auditor's old password and tokens are gone; the one-time one
	// only changes the password.
	wantProblem(t, e.do("GET", v1+"/audit", aud, nil), 401, "unauthenticated")
	wantProblem(t, e.do("POST", v1+"/auth/login", "", map[string]string{"username": "auditor", "password": demoPassword}), 401, "invalid_credentials")
	r = e.do("POST", v1+"/auth/login", "", map[string]string{"username": "auditor", "password": d.TemporaryPassword})
	var s identity.Session
	testkit.Response{Body: r.Body}.Decode(t, &s)
	if r.Status != 200 || !s.PasswordChangeRequired || s.PasswordChangeReason != "reset" {
		t.Fatalf("login with the one-time password: %d %s", r.Status, r.Body)
	}
	wantProblem(t, e.do("GET", v1+"/audit", s.AccessToken, nil), 403, "password_change_required")
	r = e.do("POST", v1+"/auth/password", s.AccessToken, map[string]string{"oldPassword": d.TemporaryPassword, "newPassword": "Shenji-Ziji-2026"})
	if r.Status != 200 {
		t.Fatalf("change: %d %s", r.Status, r.Body)
	}
	testkit.Response{Body: r.Body}.Decode(t, &s)
	if r := e.do("GET", v1+"/audit?size=500", s.AccessToken, nil); r.Status != 200 {
		t.Fatalf("auditor after the change: %d %s", r.Status, r.Body)
	}

	// All of it is in the trail: the request, the approval (committed with
	// the decision), the reset in the approver's name naming the request.
	entries, _ := e.Trail.List(context.Background(), 0, 10000)
	var seen []string
	for _, en := range entries {
		switch {
		case en.Action == "officer.change.request" && en.Actor == e.userID("sysadmin") && en.Target == audID:
			seen = append(seen, "request")
		case en.Action == "officer.change.approve" && en.Actor == e.userID("secadmin") && en.Outcome == audit.Success:
			seen = append(seen, "approve")
		case en.Action == "user.password.reset" && en.Target == audID && en.Details["officerChange"] == id:
			seen = append(seen, "reset")
		case en.Action == "user.password.change" && en.Target == audID:
			seen = append(seen, "change")
		}
	}
	if !slices.Equal(seen, []string{"request", "approve", "reset", "change"}) {
		t.Fatalf("audit trail: %v", seen)
	}
}

// Refusal, expiry, who may request what, and two officers of one role.
func TestOfficerChangeRulesAndOutcomes(t *testing.T) {
	e := newEnv(t)
	sys, sec, aud := e.token("sysadmin"), e.token("secadmin"), e.token("auditor")
	secID, audID := e.userID("secadmin"), e.userID("auditor")
	req := func(kind string, extra map[string]any) map[string]any {
		m := map[string]any{"userId": secID, "kind": kind, "reason": "测试"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "secadmin asks for a password reset", Method: "POST", Path: v1 + "/officer-changes", Token: sec,
			Body: map[string]any{"userId": audID, "kind": "password_reset", "reason": "x"}, Status: 403, Code: "forbidden"},
		testkit.Scenario{Name: "sysadmin asks for a clearance", Method: "POST", Path: v1 + "/officer-changes", Token: sys,
			Body: req("clearance", map[string]any{"clearance": "秘密"}), Status: 403, Code: "forbidden"},
		testkit.Scenario{Name: "a change to itself", Method: "POST", Path: v1 + "/officer-changes", Token: sys,
			Body: map[string]any{"userId": e.userID("sysadmin"), "kind": "display_name", "displayName": "x", "reason": "x"}, Status: 403, Code: "own_account"},
		testkit.Scenario{Name: "not an officer", Method: "POST", Path: v1 + "/officer-changes", Token: sys,
			Body: map[string]any{"userId": e.userID("staff"), "kind": "disable", "reason": "x"}, Status: 409, Code: "not_officer"},
		testkit.Scenario{Name: "no such user", Method: "POST", Path: v1 + "/officer-changes", Token: sys,
			Body: map[string]any{"userId": "0123456789abcdef0123456789abcdef", "kind": "disable", "reason": "x"}, Status: 404, Code: "not_found"},
		testkit.Scenario{Name: "bad user id", Method: "POST", Path: v1 + "/officer-changes", Token: sys,
			Body: map[string]any{"userId": "../../etc", "kind": "disable", "reason": "x"}, Status: 400, Field: "userId"},
		testkit.Scenario{Name: "unknown kind", Method: "POST", Path: v1 + "/officer-changes", Token: sys,
			Body: req("make_admin", nil), Status: 400, Field: "kind"},
		testkit.Scenario{Name: "display name missing", Method: "POST", Path: v1 + "/officer-changes", Token: sys,
			Body: req("display_name", nil), Status: 400, Field: "displayName"},
		testkit.Scenario{Name: "no reason", Method: "POST", Path: v1 + "/officer-changes", Token: sys,
			Body: map[string]any{"userId": secID, "kind": "disable"}, Status: 400, Field: "reason"},
	)

	// Refused: the target may not refuse it, the auditor may.
	id := e.requestChange(sys, req("disable", nil))
	wantProblem(t, e.do("POST", v1+"/officer-changes/"+id+"/refuse", sec, nil), 403, "own_account")
	if r := e.do("POST", v1+"/officer-changes/"+id+"/refuse", aud, map[string]string{"note": "理由不充分"}); r.Status != 200 || r.JSON()["change"].(map[string]any)["state"] != "refused" {
		t.Fatalf("refuse: %d %s", r.Status, r.Body)
	}
	wantProblem(t, e.do("POST", v1+"/officer-changes/"+id+"/approve", aud, nil), 409, "invalid_state")
	e.login("secadmin") // still enabled

	// A clearance change asked by the security administrator for the
	// auditor, approved by the system administrator.
	id = e.requestChange(sec, map[string]any{"userId": audID, "kind": "clearance", "clearance": "秘密", "reason": "岗位需要"})
	if r := e.do("POST", v1+"/officer-changes/"+id+"/approve", sys, nil); r.Status != 200 {
		t.Fatalf("approve clearance: %d %s", r.Status, r.Body)
	}
	if u, _ := e.Identity.User(context.Background(), audID); u.Clearance != "秘密" {
		t.Fatalf("auditor's clearance: %s", u.Clearance)
	}

	// Expired after 72 hours.
	id = e.requestChange(sys, req("display_name", map[string]any{"displayName": "保密员"}))
	e.Clock.Advance(73 * time.Hour)
	aud, sec = e.token("auditor"), e.token("secadmin")
	r := e.do("GET", v1+"/officer-changes?state=expired", aud, nil)
	if r.JSON()["total"] != float64(1) {
		t.Fatalf("expired list: %s", r.Body)
	}
	wantProblem(t, e.do("POST", v1+"/officer-changes/"+id+"/approve", aud, nil), 409, "expired")
	if u, _ := e.Identity.User(context.Background(), secID); u.DisplayName != "安全保密管理员" {
		t.Fatalf("expired change applied: %s", u.DisplayName)
	}
	wantProblem(t, e.do("POST", v1+"/officer-changes/nope/approve", aud, nil), 404, "not_found")
	wantProblem(t, e.do("GET", v1+"/officer-changes?state=open", aud, nil), 400, "invalid")

	// Two system administrators cannot together change an officer: the
	// approver must hold another officer role than the requester.
	sys = e.token("sysadmin")
	nr := e.do("POST", v1+"/users", sys, map[string]any{"username": "xitong2", "displayName": "系统管理员二", "password": "Xinren-Pass-1"})
	sys2ID := nr.JSON()["id"].(string)
	if r := e.do("POST", v1+"/users/"+sys2ID+"/grants", sec, map[string]string{"role": "sysadmin"}); r.Status != 201 {
		t.Fatalf("second sysadmin: %d %s", r.Status, r.Body)
	}
	r = e.do("POST", v1+"/auth/login", "", map[string]string{"username": "xitong2", "password": "Xinren-Pass-1"})
	var s identity.Session
	testkit.Response{Body: r.Body}.Decode(t, &s)
	r = e.do("POST", v1+"/auth/password", s.AccessToken, map[string]string{"oldPassword": "Xinren-Pass-1", "newPassword": "Xitong-Er-Hao-9"})
	testkit.Response{Body: r.Body}.Decode(t, &s)
	id = e.requestChange(sys, map[string]any{"userId": audID, "kind": "unlock", "reason": "x"})
	wantProblem(t, e.do("POST", v1+"/officer-changes/"+id+"/approve", s.AccessToken, nil), 403, "same_officer")
}

// The CLI stays the break-glass path: it resets an officer's password
// without a second officer, is audited as such, and forces a change.
func TestBreakGlassResetIsAudited(t *testing.T) {
	e := newEnv(t)
	secID := e.userID("secadmin")
	if err := e.Identity.SetPassword(context.Background(), identity.Actor{IP: "cli"}, secID, "Poji-Chongzhi-2026"); err != nil {
		t.Fatal(err)
	}
	entries, _ := e.Trail.List(context.Background(), 0, 10000)
	last := entries[len(entries)-1]
	if last.Action != "user.password.reset" || last.Target != secID || last.Details["breakGlass"] != true || last.Reason == "" {
		t.Fatalf("break-glass reset not audited as such: %+v", last)
	}
	r := e.do("POST", v1+"/auth/login", "", map[string]string{"username": "secadmin", "password": "Poji-Chongzhi-2026"})
	if r.Status != 200 || r.JSON()["passwordChangeReason"] != "reset" {
		t.Fatalf("login after the break-glass reset: %d %s", r.Status, r.Body)
	}
}
