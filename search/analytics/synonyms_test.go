package analytics_test

import (
	"context"
	"strings"
	"testing"

	"zhengwu/search/analysis"
	"zhengwu/search/analytics"
	"zhengwu/shared/audit"
	"zhengwu/shared/testkit"
)

type synonymList struct {
	Text    string `json:"text"`
	Groups  int    `json:"groups"`
	Version int64  `json:"version"`
}

func (e *env) synonyms() synonymList {
	e.T.Helper()
	r := testkit.Do(e.T, e.app, "GET", "/api/search/v1/synonyms", e.edit, nil)
	if r.Status != 200 {
		e.T.Fatalf("GET /synonyms: %d %s", r.Status, r.Body)
	}
	var l synonymList
	r.Decode(e.T, &l)
	return l
}

// An editor adds a group; the next search expands with it, the index
// untouched (no rebuild, no reindex of the page). Another process on the
// same store puts it in force at its next poll (Load).
func TestSynonymEditChangesResultsWithoutRebuild(t *testing.T) {
	e := newEnv(t)
	e.save("p1", page{Title: "安徽省数据资源管理局关于开展数据要素试点的通知", Body: "各市数据资源管理局：现就试点工作通知如下"})
	if got := e.search("数管局", "").Total; got != 0 {
		t.Fatalf("数管局 before the synonym: %d hits, want 0", got)
	}
	seed := e.synonyms()
	if seed.Version != 0 || seed.Text != analysis.EmbeddedSynonymsText() || seed.Groups == 0 {
		t.Fatalf("the seed: version %d, %d groups", seed.Version, seed.Groups)
	}
	text := seed.Text + "\n数管局，数据资源管理局\n"
	r := testkit.Do(t, e.app, "PUT", "/api/search/v1/synonyms", e.edit, map[string]any{"text": text, "version": 0})
	if r.Status != 200 {
		t.Fatalf("PUT /synonyms: %d %s", r.Status, r.Body)
	}
	saved := e.synonyms()
	if saved.Version != 1 || saved.Groups != seed.Groups+1 || saved.Text != text {
		t.Fatalf("saved: version %d, %d groups (seed %d)", saved.Version, saved.Groups, seed.Groups)
	}
	if got := e.search("数管局", "").Total; got != 1 {
		t.Errorf("数管局 after the synonym: %d hits, want 1", got)
	}
	if got := e.search("發改委", "").Total; got != 0 { // the seed's groups stay (nothing to find here)
		t.Errorf("發改委: %d", got)
	}
	if len(e.Audited("search.synonyms.update", "search_settings/synonyms")) != 1 {
		t.Error("the edit was not audited")
	}

	// Another process: its list is the default until it loads the store's.
	analysis.SetLiveSynonyms(nil)
	if got := e.search("数管局", "").Total; got != 0 {
		t.Fatalf("with the default list: %d hits", got)
	}
	other := analytics.NewSynonyms(e.Store, e.Trail, e.Clock.Now, e.Log)
	if err := other.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := e.search("数管局", "").Total; got != 1 {
		t.Errorf("after the other process's poll: %d hits, want 1", got)
	}
}

// Bad text is refused naming the line (problem+json, field text), nothing
// stored, the refusal audited; an edit at a stale version is a 409.
func TestBadSynonymText(t *testing.T) {
	e := newEnv(t)
	put := func(name, text string, version int64, status int, code, contains string) {
		t.Helper()
		sc := testkit.Scenario{Name: name, Method: "PUT", Path: "/api/search/v1/synonyms", Token: e.edit,
			Body: map[string]any{"text": text, "version": version}, Status: status, Code: code}
		if contains != "" {
			sc.Contains = []string{contains}
		}
		testkit.Run(t, e.app, sc)
	}
	put("a one-term line", "发改委，发展和改革委员会\n# 注释\n住建厅\n", 0, 400, "invalid", "第 3 行")
	put("a line of one term twice", "发改委，發改委\n", 0, 400, "invalid", "第 1 行")
	put("nothing but comments", "# 空\n\n", 0, 400, "invalid", "不能为空")
	if l := e.synonyms(); l.Version != 0 {
		t.Fatalf("a refused edit was stored: version %d", l.Version)
	}
	refused := e.Audited("search.synonyms.update", "search_settings/synonyms")
	if len(refused) != 3 || refused[0].Outcome != audit.Failure || !strings.Contains(refused[0].Reason, "line 3") {
		t.Errorf("refusals audited: %+v", refused)
	}
	put("first edit", "发改委，发展和改革委员会\n", 0, 200, "", "")
	put("stale version", "住建厅，住房和城乡建设厅\n", 0, 409, "conflict", "")
	testkit.Run(t, e.app,
		testkit.Scenario{Name: "anonymous", Method: "GET", Path: "/api/search/v1/synonyms", Status: 401},
		testkit.Scenario{Name: "without the permission", Method: "PUT", Path: "/api/search/v1/synonyms",
			Token: e.Token(testkit.Principal("u-x", "非密", []string{"xinxi"})), Body: map[string]any{"text": "a,b", "version": 1}, Status: 403},
	)
}
