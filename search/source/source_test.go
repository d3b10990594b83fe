package source

import (
	"encoding/json"
	"slices"
	"testing"

	"zhengwu/search/query"
	"zhengwu/shared/store"
)

func doc(collection string, v any) store.Doc {
	b, _ := json.Marshal(v)
	return store.Doc{Collection: collection, ID: "x", Version: 1, Data: b}
}

func TestPortalProjection(t *testing.T) {
	src, err := New(PortalName, nil, PortalProjection(PortalDeps{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		status, visibility string
		ok                 bool
		wantVis            string
	}{
		{"published", "public", true, Public},
		{"withdrawn", "public", true, Public},
		{"published", "internal", true, Internal},
		{"published", "", true, Internal}, // unknown: fail closed
		{"published", "PUBLIC", true, Internal},
		{"redirected", "public", false, ""},
		{"gone", "public", false, ""},
		{"draft", "public", false, ""},
	} {
		got, ok := src.Project(doc(PortalItems, map[string]any{"title": "通知", "status": c.status, "visibility": c.visibility,
			"policy":      map[string]any{"docNumber": "皖政办〔2026〕12号", "issuers": []string{"省政府办公厅", "省财政厅"}, "validity": "有效"},
			"publishedAt": "2026-12-31T20:00:00Z"}))
		if ok != c.ok {
			t.Fatalf("%+v: ok %v", c, ok)
		}
		if !ok {
			continue
		}
		m := got.(map[string]any)
		if m[query.FieldVisibility] != c.wantVis || m[query.FieldClass] != 0.0 || m[query.FieldIssuer] != "省政府办公厅" ||
			m[query.FieldDocNumber] != "皖政办〔2026〕12号" || m[query.FieldYear] != "2027" || m[query.FieldTitlePrefix] != "通知" {
			t.Fatalf("%+v: %v", c, m)
		}
	}
	if _, ok := src.Project(doc("other", map[string]any{"status": "published"})); ok {
		t.Fatal("a collection the source does not hold was projected")
	}
	if _, ok := src.Project(store.Doc{Collection: PortalItems, Data: []byte(`{"status": 1}`)}); ok {
		t.Fatal("an undecodable item was projected")
	}
}

func TestOfficeProjections(t *testing.T) {
	project := func(d Doc) ProjectFunc { return func(store.Doc) (Doc, bool) { return d, true } }
	src, err := New(OfficeName, nil,
		Projection{Index: OfficeName, Collection: "a", Project: project(Doc{Title: "t2", Classification: "秘密", Readers: []string{"user:u1"}})},
		Projection{Index: OfficeName, Collection: "b", Project: project(Doc{Title: "t", Classification: "内部", Readers: []string{"staff"}})},
		Projection{Index: OfficeName, Collection: "c", Project: project(Doc{Title: "no readers"})},
		Projection{Index: PortalName, Collection: "portal_only", Project: project(Doc{Title: "p"})})
	if err != nil {
		t.Fatal(err)
	}
	if got := src.Collections(); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("collections %v", got)
	}
	got, ok := src.Project(doc("a", map[string]any{}))
	if !ok {
		t.Fatal("not projected")
	}
	m := got.(map[string]any)
	if m[query.FieldTitle] != "t2" || m[query.FieldClass] != 1.0 || !slices.Equal(m[query.FieldReaders].([]string), []string{"user:u1"}) {
		t.Fatalf("office doc %v", m)
	}
	if _, ok := src.Project(doc("b", map[string]any{})); ok {
		t.Fatal("an unknown classification was indexed")
	}
	if _, ok := src.Project(doc("c", map[string]any{})); ok {
		t.Fatal("an office document without readers was indexed: nobody's rule would apply to it")
	}
	if _, err := New(OfficeName, nil, Projection{Index: OfficeName, Collection: "a", Project: project(Doc{})},
		Projection{Index: OfficeName, Collection: "a", Project: project(Doc{})}); err == nil {
		t.Fatal("a collection projected twice")
	}
}
