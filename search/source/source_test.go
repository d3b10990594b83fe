package source

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"zhengwu/search/query"
	"zhengwu/shared/store"
)

func doc(collection string, v any) store.Doc {
	b, _ := json.Marshal(v)
	return store.Doc{Collection: collection, ID: "x", Version: 1, Data: b}
}

// A portal document's fields as the index maps them: the year of its
// publication in China, the title's prefix for suggestions, 非密, and a
// visibility that is public only when it says so.
func TestPortalFields(t *testing.T) {
	project := func(d Doc) ProjectFunc { return func(store.Doc) (Doc, bool) { return d, true } }
	at := time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC) // 2027 in China
	policy := Doc{Title: "通知", DocNumber: "皖政办〔2026〕12号", Issuer: "省政府办公厅", Validity: "有效", PublishedAt: at}
	for _, c := range []struct {
		visibility string
		ok         bool
		want       string
	}{
		{Public, true, Public},
		{Internal, true, Internal},
		{"", true, Internal}, // unsaid: fail closed
		{"PUBLIC", false, ""},
	} {
		d := policy
		d.Visibility = c.visibility
		src, err := New(PortalName, nil, Projection{Index: PortalName, Collection: "p", Project: project(d)})
		if err != nil {
			t.Fatal(err)
		}
		got, ok := src.Project(doc("p", map[string]any{}))
		if ok != c.ok {
			t.Fatalf("visibility %q: ok %v", c.visibility, ok)
		}
		if !ok {
			continue
		}
		m := got.(map[string]any)
		if m[query.FieldVisibility] != c.want || m[query.FieldClass] != 0.0 || m[query.FieldIssuer] != "省政府办公厅" ||
			m[query.FieldDocNumber] != "皖政办〔2026〕12号" || m[query.FieldYear] != "2027" || m[query.FieldTitlePrefix] != "通知" ||
			m[query.FieldValidity] != "有效" {
			t.Fatalf("visibility %q: %v", c.visibility, m)
		}
	}
	src, _ := New(PortalName, nil, Projection{Index: PortalName, Collection: "p", Project: project(policy)})
	if _, ok := src.Project(doc("other", map[string]any{})); ok {
		t.Fatal("a collection the source does not hold was projected")
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
