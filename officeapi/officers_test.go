package officeapi_test

import (
	"context"
	"encoding/json"
	"testing"

	"zhengwu/officeapi/demo"
	"zhengwu/shared/audit"
)

func TestThreeOfficersAreSeparate(t *testing.T) {
	e := newEnv(t)
	sys, sec, aud, staff := e.token("sysadmin"), e.token("secadmin"), e.token("auditor"), e.token("staff")
	staffID := e.userID("staff")

	// The system administrator manages users but cannot grant.
	r := e.do("POST", "/api/office/v1/users", sys, map[string]any{"username": "newbie", "displayName": "新同志",
		"password": "Xinren-Pass-1", "departmentIds": []string{"mishu1"}})
	if r.Status != 201 {
		t.Fatalf("sysadmin create user: %d %s", r.Status, r.Body)
	}
	newbie := r.JSON()["id"].(string)
	if r.JSON()["clearance"] != "非密" {
		t.Fatalf("new account clearance: %v", r.JSON()["clearance"])
	}
	wantProblem(t, e.do("POST", "/api/office/v1/users/"+newbie+"/grants", sys, map[string]string{"role": "editor", "departmentId": "mishu1"}), 403, "forbidden")
	wantProblem(t, e.do("PUT", "/api/office/v1/users/"+newbie+"/clearance", sys, map[string]string{"clearance": "机密"}), 403, "forbidden")
	wantProblem(t, e.do("GET", "/api/office/v1/audit", sys, nil), 403, "forbidden")

	// The security administrator grants but cannot manage users.
	wantProblem(t, e.do("POST", "/api/office/v1/users", sec, map[string]any{"username": "x2", "displayName": "x", "password": "Xinren-Pass-1"}), 403, "forbidden")
	wantProblem(t, e.do("PATCH", "/api/office/v1/users/"+staffID, sec, map[string]any{"disabled": true}), 403, "forbidden")
	if r := e.do("POST", "/api/office/v1/users/"+newbie+"/grants", sec, map[string]string{"role": "editor", "departmentId": "mishu1"}); r.Status != 201 {
		t.Fatalf("secadmin grant: %d %s", r.Status, r.Body)
	}
	wantProblem(t, e.do("GET", "/api/office/v1/audit", sec, nil), 403, "forbidden")
	// ... and not to itself.
	wantProblem(t, e.do("POST", "/api/office/v1/users/"+e.userID("secadmin")+"/grants", sec, map[string]string{"role": "auditor"}), 403, "self_grant")

	// The auditor reads the trail and nothing else.
	if r := e.do("GET", "/api/office/v1/audit?size=500", aud, nil); r.Status != 200 {
		t.Fatalf("auditor reads audit: %d", r.Status)
	}
	// (it lists the accounts, to name the actors of the trail, but
	// changes none)
	if r := e.do("GET", "/api/office/v1/users", aud, nil); r.Status != 200 {
		t.Fatalf("auditor lists users: %d", r.Status)
	}
	wantProblem(t, e.do("POST", "/api/office/v1/users", aud, map[string]any{"username": "x4", "displayName": "x", "password": "Xinren-Pass-1"}), 403, "forbidden")
	wantProblem(t, e.do("PATCH", "/api/office/v1/users/"+staffID, aud, map[string]any{"disabled": true}), 403, "forbidden")
	wantProblem(t, e.do("POST", "/api/office/v1/users/"+staffID+"/grants", aud, map[string]string{"role": "staff"}), 403, "forbidden")

	// Staff do none of it.
	wantProblem(t, e.do("GET", "/api/office/v1/audit/verify", staff, nil), 403, "forbidden")
	wantProblem(t, e.do("POST", "/api/office/v1/users", staff, map[string]any{"username": "x3", "displayName": "x", "password": "Xinren-Pass-1"}), 403, "forbidden")
}

func TestNoAccountHoldsTwoOfficerRoles(t *testing.T) {
	e := newEnv(t)
	sec := e.token("secadmin")
	for _, who := range []string{"sysadmin", "auditor"} {
		for _, role := range []string{"secadmin", "auditor", "sysadmin"} {
			r := e.do("POST", "/api/office/v1/users/"+e.userID(who)+"/grants", sec, map[string]string{"role": role})
			if r.Status != 409 {
				t.Errorf("grant %s to %s: %d %s", role, who, r.Status, r.Body)
			}
		}
	}
	// Officer roles are office-wide only.
	r := e.do("POST", "/api/office/v1/users/"+e.userID("staff")+"/grants", sec, map[string]string{"role": "auditor", "departmentId": "mishu1"})
	m := wantProblem(t, r, 400, "invalid")
	if errs := m["errors"].([]any); errs[0].(map[string]any)["field"] != "departmentId" {
		t.Fatalf("field not named: %s", r.Body)
	}
	// A non-officer account (in no department, with no other role) may
	// become one officer, then no second.
	r = e.do("POST", "/api/office/v1/users", e.token("sysadmin"), map[string]any{"username": "shenji2", "displayName": "审计员二",
		"password": "Xinren-Pass-1"})
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	newID := r.JSON()["id"].(string)
	if r := e.do("POST", "/api/office/v1/users/"+newID+"/grants", sec, map[string]string{"role": "auditor"}); r.Status != 201 {
		t.Fatalf("first officer role: %d %s", r.Status, r.Body)
	}
	r = e.do("POST", "/api/office/v1/users/"+newID+"/grants", sec, map[string]string{"role": "sysadmin"})
	if m := wantProblem(t, r, 409, "separation_of_duties"); m["detail"] == "" {
		t.Fatal("no message")
	}
}

func TestAuditTrailRecordsAndDetectsTampering(t *testing.T) {
	e := newEnv(t)
	e.login("staff")
	e.do("POST", "/api/office/v1/auth/login", "", map[string]string{"username": "staff", "password": "Wrong-Pass-1"})
	aud := e.token("auditor")
	r := e.do("GET", "/api/office/v1/audit?size=500", aud, nil)
	var list struct{ Items []audit.Entry }
	_ = json.Unmarshal(r.Body, &list)
	var logins, failures int
	for _, en := range list.Items {
		if en.Action == "auth.login" && en.Outcome == audit.Success {
			logins++
		}
		if en.Action == "auth.login" && en.Outcome == audit.Failure && en.ActorIP != "" {
			failures++
		}
	}
	if logins < 2 || failures != 1 {
		t.Fatalf("audit has %d logins and %d failures: %s", logins, failures, r.Body)
	}
	verify := func() map[string]any {
		r := e.do("GET", "/api/office/v1/audit/verify", aud, nil)
		if r.Status != 200 {
			t.Fatalf("verify: %d %s", r.Status, r.Body)
		}
		return r.JSON()
	}
	if v := verify(); v["ok"] != true {
		t.Fatalf("untouched trail fails: %v", v)
	}

	ctx := context.Background()
	// Edit entry 3 behind the service's back.
	doc, err := e.Store.Get(ctx, audit.Collection, "0000000000000003")
	if err != nil {
		t.Fatal(err)
	}
	var en map[string]any
	_ = doc.Decode(&en)
	en["outcome"] = "failure"
	data, _ := json.Marshal(en)
	if _, err := e.Store.Put(ctx, audit.Collection, doc.ID, data, doc.Version); err != nil {
		t.Fatal(err)
	}
	if v := verify(); v["ok"] != false || v["brokenAt"] != float64(3) {
		t.Fatalf("edit not detected: %v", v)
	}
}

func TestAuditDeletionDetected(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.Store.Delete(ctx, audit.Collection, "0000000000000005", -1); err != nil {
		t.Fatal(err)
	}
	r, err := e.Trail.Verify(ctx)
	if err != nil || r.OK || r.BrokenAt != 5 {
		t.Fatalf("deletion not detected: %+v %v", r, err)
	}
}

func TestDemoSeedIsIdempotent(t *testing.T) {
	e := newEnv(t) // seeded once
	n, err := demo.Seed(context.Background(), e.Identity, "Other-Pass-99")
	if err != nil || n != 0 {
		t.Fatalf("second seed created %d (%v)", n, err)
	}
	e.login("staff") // the first password still works
	r := e.do("GET", "/api/office/v1/users", e.token("sysadmin"), nil)
	if got := int(r.JSON()["total"].(float64)); got != len(demo.Usernames()) {
		t.Fatalf("%d users after two seeds, want %d", got, len(demo.Usernames()))
	}
	r = e.do("GET", "/api/office/v1/org/departments", e.token("staff"), nil)
	if got := int(r.JSON()["total"].(float64)); got != len(demo.Departments) || len(demo.Departments) < 9 {
		t.Fatalf("%d departments", got)
	}
}
