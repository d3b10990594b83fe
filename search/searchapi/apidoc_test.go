package searchapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"zhengwu/search/searchapi"
	"zhengwu/search/searchapi/searchhttp"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/store"
)

// The search API describes every route it mounts (and nothing else), its
// examples validate, and the description is served to anonymous readers.
func TestAPIDescription(t *testing.T) {
	e := newEnv(t)
	e.open(nil, nil)
	openapitest.Check(t, searchhttp.API(searchhttp.Routes(e.svc, e.Tokens)), e.app)

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

// Real answers, over a reader's session (portal and office, anonymous and
// signed in, a write read back, bad parameters), match the schemas the
// description gives their status: every status an operation lists that a
// request can provoke here.
func TestResponsesMatchTheDescription(t *testing.T) {
	e := newEnv(t)
	st := e.Store
	policy := newPage("关于进一步优化营商环境的若干意见", "为进一步优化营商环境，激发市场主体活力。")
	policy.Type, policy.Channel = "policy", "files-general-office"
	policy.DocNumber, policy.Issuer, policy.Validity = "皖政办〔2026〕12号", "安徽省人民政府办公厅", "有效"
	e.save("a1", policy)
	withdrawn := newPage("营商环境政策解读", "解读优化营商环境的若干意见。")
	withdrawn.Status = "withdrawn"
	e.save("a2", withdrawn)
	if _, err := store.Save(context.Background(), st, "office_docs", "d1",
		officeDoc{Title: "营商环境工作安排", Department: "bgt"}, store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	e.open(officeSource(), nil)
	e.sync()
	api := searchhttp.API(searchhttp.Routes(e.svc, e.Tokens))
	staff := e.Token(auth.Principal{UserID: "u-1", Clearance: classification.Feimi, Departments: []string{"bgt"}})

	check := func(path string, params url.Values, token string, status int) []byte {
		t.Helper()
		got, body, _ := e.get(path, params, token)
		if got != status {
			t.Fatalf("%s?%s: %d, want %d: %s", path, params.Encode(), got, status, body)
		}
		openapitest.Response(t, api, "GET", path, got, body)
		return body
	}
	found := func(body []byte) {
		t.Helper()
		var r searchResult
		if err := json.Unmarshal(body, &r); err != nil || r.Total == 0 {
			t.Fatalf("found nothing (the check would be vacuous): %s", body)
		}
	}
	found(check("/search", q("q", "营商环境"), "", 200))
	found(check("/search", q("q", "皖政办[2026]12号", "validity", "有效", "sort", "date", "size", "5"), "", 200))
	found(check("/search", q(), "", 200)) // browsing by date, no text
	found(check("/search", q("q", "营商环境", "scope", "office"), staff, 200))
	check("/suggest", q("q", "营商"), "", 200)
	check("/suggest", q("q", "营商", "scope", "office"), staff, 200)

	// A write is read back with the sequence it returned.
	d, err := store.Save(context.Background(), st, "office_docs", "d2",
		officeDoc{Title: "营商环境督查通报", Department: "bgt"}, store.AnyVersion)
	if err != nil {
		t.Fatal(err)
	}
	found(check("/search", q("q", "督查通报", "scope", "office", "consistentWith", strconv.FormatInt(d.Seq, 10)), staff, 200))

	check("/search", q("sort", "sideways"), "", 400)
	check("/search", q("page", "1000", "size", "50"), "", 400)
	check("/search", q("consistentWith", strconv.FormatInt(d.Seq+1000, 10)), "", 400)
	check("/suggest", q("q", " "), "", 400)
	check("/search", q("q", "营商", "scope", "office"), "", 401)
	check("/suggest", q("q", "营商"), "not-a-token", 401)

	// A closed index answers 503, described like every other problem.
	e.svc.Close()
	check("/search", q("q", "营商"), "", 503)
	check("/suggest", q("q", "营商"), "", 503)
}

// The description's problem example is one the API really gives.
func TestProblemExampleIsReal(t *testing.T) {
	e := newEnv(t)
	e.open(nil, nil)
	_, body, _ := e.get("/search", q("sort", "sideways"), "")
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	ex := searchhttp.API(nil).ProblemExample.(map[string]any)
	if got["detail"] != ex["detail"] || got["code"] != ex["code"] {
		t.Fatalf("the example says %v, the API %v", ex["detail"], got["detail"])
	}
}
