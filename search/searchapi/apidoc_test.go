package searchapi_test

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"zhengwu/search/searchapi"
	"zhengwu/shared/openapi/openapitest"
)

// The search API describes every route it mounts, its examples validate,
// and the description is served to anonymous readers.
func TestAPIDescription(t *testing.T) {
	e := newEnv(t)
	e.open(nil, nil)
	openapitest.Check(t, searchapi.API(), e.app)

	res, err := e.app.Test(httptest.NewRequest("GET", searchapi.Prefix+"/openapi.json", nil))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil || res.StatusCode != 200 {
		t.Fatalf("openapi.json: %d %v", res.StatusCode, err)
	}
	if doc.OpenAPI != "3.1.0" || doc.Paths["/search"]["get"] == nil || doc.Paths["/suggest"]["get"] == nil {
		t.Fatalf("document: %+v", doc)
	}
	res, err = e.app.Test(httptest.NewRequest("GET", searchapi.Prefix+"/docs", nil))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.Contains(string(page), "/suggest") || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("docs page: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

// Real responses validate against the schemas the document gives them.
func TestResponsesMatchTheDescription(t *testing.T) {
	e := newEnv(t)
	e.save(newItem("a1", "关于进一步优化营商环境的若干意见", "为进一步优化营商环境，激发市场主体活力。"))
	e.save(newItem("a2", "营商环境政策解读", "解读优化营商环境的若干意见。"))
	e.open(nil, nil)
	e.sync()
	api := searchapi.API()
	for _, c := range []struct{ path, schema string }{
		{"/search?q=" + url.QueryEscape("营商环境"), "SearchResult"},
		{"/search", "SearchResult"},
		{"/suggest?q=" + url.QueryEscape("营商"), "Suggestions"},
		{"/search?sort=sideways", "Problem"},
	} {
		res, err := e.app.Test(httptest.NewRequest("GET", searchapi.Prefix+c.path, nil))
		if err != nil {
			t.Fatal(err)
		}
		var body any
		if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		if !openapitest.Valid(t, api, c.schema, body) {
			t.Errorf("%s (%d) does not match %s: %v", c.path, res.StatusCode, c.schema, body)
		}
		if c.schema == "SearchResult" && body.(map[string]any)["total"].(float64) == 0 {
			t.Errorf("%s found nothing: the check would be vacuous", c.path)
		}
	}
}
