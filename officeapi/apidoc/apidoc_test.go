package apidoc_test

import (
	"testing"

	"zhengwu/officeapi/apidoc"
	"zhengwu/shared/openapi/openapitest"
)

// The routes are checked against the application the server builds in
// cmd/zhengwu (the gateway's status route is mounted there), and real
// responses against the schemas in officeapi's tests.
func TestExamplesAndShape(t *testing.T) {
	api := apidoc.API()
	openapitest.Examples(t, api)
	openapitest.Shape(t, api)
}

// The schemas reject what the server refuses (the examples check could
// otherwise pass vacuously).
func TestSchemasReject(t *testing.T) {
	api := apidoc.API()
	for _, c := range []struct {
		schema string
		value  any
	}{
		{"Credentials", map[string]any{"username": "editor"}},
		{"Credentials", map[string]any{"username": "editor", "password": "x", "remember": true}},
		{"GrantRequest", map[string]any{"role": "superuser"}},
	} {
		if openapitest.Valid(t, api, c.schema, c.value) {
			t.Errorf("%s accepted %v", c.schema, c.value)
		}
	}
}
