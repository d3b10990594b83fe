package contenthttp_test

import (
	"strings"
	"testing"

	"zhengwu/shared/testkit"
)

// How the routes read a request and answer: a new document's Location, an
// {id} that cannot be one refused before its body is read, the service's
// own message for a missing reason (its body is decoded, not bound),
// optional bodies, and reads that no cache keeps (they depend on the
// caller's rights).
func TestRequestReadingAndAnswers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.do("POST", base+"/documents", "editor", newsBody("读取与应答"))
	m := e.want(r, 201)
	id := docID(m)
	if loc := r.Header.Get("Location"); loc != base+"/documents/"+id {
		t.Fatalf("Location %q", loc)
	}
	long := strings.Repeat("x", 65)
	testkit.WantProblem(t, e.do("PUT", base+"/documents/"+long+"/draft", "editor", "{"), 404, "")
	testkit.WantProblem(t, e.do("POST", base+"/documents/"+long+"/reject", "director", "{"), 404, "")
	testkit.WantProblem(t, e.do("PUT", base+"/documents/"+id+"/draft", "editor", "{"), 400, "")

	m = e.want(e.do("POST", base+"/documents/"+id+"/submit", "editor", nil), 200)
	for path, want := range map[string]string{"/reject": "退回原因为必填字段", "/withdraw": "撤回原因为必填字段"} {
		r := e.do("POST", base+"/documents/"+id+path, "director", map[string]any{"version": version(m), "reason": ""})
		p := testkit.WantProblem(t, r, 400, "")
		if !strings.Contains(string(r.Body), want) || len(testkit.ProblemFields(p)) != 1 {
			t.Errorf("%s without a reason: %s", path, r.Body)
		}
	}
	for _, path := range []string{"/documents", "/review-queue", "/documents/" + id, "/documents/" + id + "/editions",
		"/documents/" + id + "/editions/1", "/documents/" + id + "/diff?from=1&to=1"} {
		r := e.do("GET", base+path, "editor", nil)
		if r.Status != 200 || r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: %d, Cache-Control %q", path, r.Status, r.Header.Get("Cache-Control"))
		}
	}
}
