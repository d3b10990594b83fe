package infohttp_test

import (
	"strings"
	"testing"
)

// The routes answer as their handlers did before they became
// openapi.Handle functions: an id that cannot be an item's is refused
// before the body is read, the rules' permission before their body; a
// deleted rule is a 204 without a body.
func TestRoutesKeepTheirOrder(t *testing.T) {
	e := newEnv(t)
	long := "/items/" + strings.Repeat("x", 65)
	for _, c := range []struct {
		user, method, path string
		status             int
	}{
		{"editor", "PUT", long, 404},
		{"editor", "POST", long + "/submit", 404},
		{"editor", "POST", long + "/reject", 404},
		{"editor", "POST", long + "/designate", 404},
		{"editor", "POST", "/rules", 403},
		{"editor", "GET", "/rules", 403},
	} {
		if r := e.as(c.user, c.method, c.path, "{"); r.Status != c.status {
			t.Errorf("%s %s %s: %d, want %d: %s", c.user, c.method, c.path, r.Status, c.status, r.Body)
		}
	}
	rule := e.ok(e.as("secadmin", "POST", "/rules", map[string]any{"department": "xinxi", "kind": "update", "channel": "news"}), 201)
	r := e.as("secadmin", "DELETE", "/rules/"+rule["id"].(string), nil)
	if ct := r.Header.Get("Content-Type"); r.Status != 204 || len(r.Body) != 0 || strings.Contains(ct, "json") {
		t.Errorf("DELETE rule: %d %q %q", r.Status, ct, r.Body)
	}
}
