package testkit

import (
	"slices"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// Scenario is one API request and what must come back, so that a
// capability's API tests read as a table (after PocketBase's
// tests.ApiScenario).
type Scenario struct {
	Name    string
	Method  string
	Path    string
	Token   string // bearer token; "" = anonymous
	Body    any    // as Request.Body
	Headers map[string]string

	Status int // the status wanted
	// Code is the problem code wanted (the status must be 4xx/5xx).
	Code string
	// Field is a field the problem must name.
	Field string
	// Contains and NotContains are strings the body must (not) contain.
	Contains    []string
	NotContains []string

	// Before runs first (set-up), After last with the answer (checks a
	// table cannot express: the store, the audit trail).
	Before func(t *testing.T)
	After  func(t *testing.T, r Response)
}

// Run runs each scenario as a subtest against app.
func Run(t *testing.T, app *fiber.App, scenarios ...Scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			if sc.Before != nil {
				sc.Before(t)
			}
			r := Send(t, app, Request{Method: sc.Method, Path: sc.Path, Token: sc.Token, Body: sc.Body, Headers: sc.Headers})
			if sc.Code != "" || sc.Status >= 400 {
				m := WantProblem(t, r, sc.Status, sc.Code)
				if sc.Field != "" && !slices.Contains(ProblemFields(m), sc.Field) {
					t.Fatalf("problem does not name field %q: %s", sc.Field, r.Body)
				}
			} else if r.Status != sc.Status {
				t.Fatalf("status %d, want %d: %s", r.Status, sc.Status, r.Body)
			}
			for _, s := range sc.Contains {
				if !strings.Contains(string(r.Body), s) {
					t.Errorf("body lacks %q: %s", s, r.Body)
				}
			}
			for _, s := range sc.NotContains {
				if strings.Contains(string(r.Body), s) {
					t.Errorf("body has %q: %s", s, r.Body)
				}
			}
			if sc.After != nil {
				sc.After(t, r)
			}
		})
	}
}
