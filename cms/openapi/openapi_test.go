package openapi

import (
	"testing"

	"zhengwu/shared/openapi/openapitest"
)

// The routes are checked against the mounted application in cms_test.go.
func TestExamplesAndShape(t *testing.T) {
	api := API()
	openapitest.Examples(t, api)
	openapitest.Shape(t, api)
	// The schemas do reject wrong values (the examples check could pass
	// vacuously otherwise).
	bad := map[string]any{"id": "x", "type": "memo", "channel": "news", "title": "t", "status": "published"}
	if openapitest.Valid(t, api, "Item", bad) {
		t.Fatal("an item of unknown type validated")
	}
}
