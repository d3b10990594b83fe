package officeapi_test

import (
	"bytes"
	"encoding/csv"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhengwu/shared/audit"
	"zhengwu/shared/testkit"
)

type auditPage struct {
	Items []audit.Entry `json:"items"`
	Next  int64         `json:"next"`
}

// The auditor's filters (actor, action, outcome, target, time range) are
// answered by the server, with the after cursor kept.
func TestAuditTrailFilters(t *testing.T) {
	e := newEnv(t)
	e.Clock.Advance(time.Hour)
	start := e.Clock.Now()
	e.login("staff")
	e.do("POST", v1+"/auth/login", "", map[string]string{"username": "clerk", "password": "Wrong-Pass-1"})
	e.do("POST", v1+"/auth/login", "", map[string]string{"username": "clerk", "password": "Wrong-Pass-2"})
	e.Clock.Advance(time.Hour)
	end := e.Clock.Now()
	e.do("POST", v1+"/auth/login", "", map[string]string{"username": "clerk", "password": "Wrong-Pass-3"})
	aud := e.token("auditor")
	get := func(q string) auditPage {
		t.Helper()
		r := e.do("GET", v1+"/audit?"+q, aud, nil)
		if r.Status != 200 {
			t.Fatalf("audit?%s: %d %s", q, r.Status, r.Body)
		}
		var p auditPage
		testkit.Response{Body: r.Body}.Decode(t, &p)
		return p
	}
	failures := get("action=auth.login&outcome=failure&size=500")
	if len(failures.Items) != 3 {
		t.Fatalf("failed logins: %+v", failures.Items)
	}
	for _, en := range failures.Items {
		if en.Action != "auth.login" || en.Outcome != "failure" || en.Target != "clerk" {
			t.Fatalf("filter let through %+v", en)
		}
	}
	// A dotted prefix; the actor; a target.
	if p := get("action=auth&actor=" + e.userID("clerk")); len(p.Items) != 3 {
		t.Fatalf("auth.* by clerk: %d", len(p.Items))
	}
	if p := get("target=staff&action=auth.login&outcome=success"); len(p.Items) != 1 {
		t.Fatalf("staff's logins: %d", len(p.Items))
	}
	// A time range (to is exclusive) ...
	rng := get("action=auth.login&outcome=failure&from=" + url.QueryEscape(start.Format(time.RFC3339)) + "&to=" + url.QueryEscape(end.Format(time.RFC3339)))
	if len(rng.Items) != 2 {
		t.Fatalf("in range: %d %+v", len(rng.Items), rng.Items)
	}
	// ... and paging with after: one at a time, next is the cursor.
	var seen []int64
	after := int64(0)
	for i := 0; i < 5; i++ {
		p := get("action=auth.login&outcome=failure&size=1&after=" + strconv.FormatInt(after, 10))
		for _, en := range p.Items {
			seen = append(seen, en.Seq)
		}
		if p.Next == 0 {
			break
		}
		after = p.Next
	}
	if len(seen) != 3 || seen[0] != failures.Items[0].Seq || seen[2] != failures.Items[2].Seq {
		t.Fatalf("paged: %v, want %v", seen, failures.Items)
	}
	for _, q := range []string{"outcome=maybe", "from=yesterday", "to=2026-01-01T00:00:00Z&from=2026-02-01T00:00:00Z", "actor=" + url.QueryEscape("a\x00b")} {
		wantProblem(t, e.do("GET", v1+"/audit?"+q, aud, nil), 400, "invalid")
	}
}

// The export is CSV with a byte-order mark (Excel shows the Chinese), its
// formula-like cells defused, and it is itself audited.
func TestAuditExport(t *testing.T) {
	e := newEnv(t)
	e.do("POST", v1+"/auth/login", "", map[string]string{"username": "=HYPERLINK(\"http://x\")", "password": "Wrong-Pass-1"})
	aud := e.token("auditor")
	r := e.do("GET", v1+"/audit/export?action=auth.login", aud, nil)
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d %v", r.Status, r.Header)
	}
	if !bytes.HasPrefix(r.Body, []byte("\xef\xbb\xbf")) {
		t.Fatal("no byte-order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(r.Body[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "序号,时间,操作人,来源地址,事件,对象,结果,原因,详情,哈希" || len(rows) < 3 {
		t.Fatalf("rows: %v", rows)
	}
	var defused bool
	for _, row := range rows[1:] {
		if row[4] != "auth.login" {
			t.Fatalf("filter ignored: %v", row)
		}
		if strings.HasPrefix(row[5], "=") {
			t.Fatalf("formula cell: %v", row)
		}
		defused = defused || row[5] == `'=HYPERLINK("http://x")`
	}
	if !defused || rows[1][6] != "成功" && rows[1][6] != "失败" {
		t.Fatalf("cells: %v", rows)
	}
	p := auditPage{}
	r = e.do("GET", v1+"/audit?action=audit.export", aud, nil)
	testkit.Response{Body: r.Body}.Decode(t, &p)
	if len(p.Items) != 1 || p.Items[0].Actor != e.userID("auditor") || p.Items[0].Details["rows"] != float64(len(rows)-1) {
		t.Fatalf("export not audited: %s", r.Body)
	}
	wantProblem(t, e.do("GET", v1+"/audit/export", e.token("sysadmin"), nil), 403, "forbidden")
}
