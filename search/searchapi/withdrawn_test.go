package searchapi_test

import (
	"testing"
)

// A withdrawn portal document stays findable, marked as withdrawn in the hit;
// a published one carries no status.
func TestWithdrawnHitsAreMarked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := newPage("关于春运安全的通知（已撤回）", "春运安全")
	w.Status = "withdrawn"
	e.save("w", w)
	e.save("p", newPage("关于春运安全的补充通知", "春运安全"))
	e.open(nil, nil)
	e.sync()
	r := e.search(q("q", "春运安全"), "")
	status := map[string]string{}
	for _, h := range r.Hits {
		status[h.ID] = h.Status
	}
	if len(status) != 2 || status["w"] != "withdrawn" || status["p"] != "" {
		t.Fatalf("hits: %+v", r.Hits)
	}
}
