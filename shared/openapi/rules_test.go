package openapi

import "testing"

// The id and date rules of a request type's validate tags reach its
// schema, as the length and enumeration rules do.
func TestRequestSchemaCarriesIDAndDateRules(t *testing.T) {
	type in struct {
		Department string `json:"department" validate:"omitempty,orgid"`
		User       string `json:"user" validate:"required,hexid"`
		Start      string `json:"start" validate:"required,datetime=2006-01-02"`
	}
	props := newReflector().request(in{})["properties"].(Obj)
	for name, want := range map[string][2]string{"department": {"pattern", `^[a-z0-9][a-z0-9_-]{0,63}$`},
		"user": {"pattern", `^[0-9a-f]{32}$`}, "start": {"format", "date"}} {
		if got := props[name].(Obj)[want[0]]; got != want[1] {
			t.Errorf("%s: %s %v, want %s", name, want[0], got, want[1])
		}
	}
}
