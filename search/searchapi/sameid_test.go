package searchapi_test

import (
	"context"
	"slices"
	"testing"

	"zhengwu/search/reindex"
	"zhengwu/search/searchapi"
	"zhengwu/search/source"
	"zhengwu/shared/store"
)

// archivedDocs is a second office collection whose documents take the id
// of the office_docs document they keep, as an archive record takes its
// 公文's (officeapi/archive).
const archivedDocs = "archived_docs"

// sameIDSources are office_docs (officeSource) and archived_docs: the
// same readers, another title and path.
func sameIDSources() []source.Projection {
	docs := officeSource()
	archive := docs[0]
	archive.Collection = archivedDocs
	project := archive.Project
	archive.Project = func(d store.Doc) (source.Doc, bool) {
		sd, ok := project(d)
		sd.Type, sd.Path = "archive", "archive/"+d.ID
		return sd, ok
	}
	return append(docs, archive)
}

// officeHits are the office search's hits for text, as "id path".
func officeHits(t *testing.T, e *env, text string) []string {
	t.Helper()
	res := e.search(q("q", text, "scope", "office"), e.Token(reader))
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID+" "+h.Path)
	}
	slices.Sort(out)
	return out
}

// A 公文 and its archive record share an id. The search indexes keep
// one document per index id: before ids were collection-qualified, office
// search showed only the one applied last, and every reconciliation
// "repaired" the pair (the soak's missing=2 stale=2).
func TestSameIDInTwoCollections(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	for _, coll := range []string{"office_docs", archivedDocs} {
		if _, err := store.Save(ctx, e.Store, coll, "gw-1", officeDoc{Title: "防汛工作安排", Department: "bgt"}, store.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	// Another pair, written after the service started: the live feed.
	e.open(sameIDSources(), nil)
	for _, coll := range []string{archivedDocs, "office_docs"} {
		if _, err := store.Save(ctx, e.Store, coll, "gw-2", officeDoc{Title: "防汛物资调拨", Department: "bgt"}, store.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	e.sync()

	both := []string{"gw-1 archive/gw-1", "gw-1 docs/gw-1", "gw-2 archive/gw-2", "gw-2 docs/gw-2"}
	if got := officeHits(t, e, "防汛"); !slices.Equal(got, both) {
		t.Fatalf("office search = %q, want %q", got, both)
	}
	// A capability's own query finds its own document under its own id.
	for coll, path := range map[string]string{"office_docs": "docs/gw-1", archivedDocs: "archive/gw-1"} {
		f, err := e.svc.Find(ctx, &reader, searchapi.Find{Scope: source.OfficeName, Collection: coll, Text: "防汛工作",
			Fields: []string{source.FieldPath}})
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Hits) != 1 || f.Hits[0].ID != "gw-1" || f.Hits[0].Fields[source.FieldPath] != path {
			t.Fatalf("find in %s = %+v, want gw-1 at %s", coll, f.Hits, path)
		}
	}
	sug, err := e.svc.Suggest(ctx, &reader, source.OfficeName, "防汛物资")
	if err != nil || len(sug) == 0 || sug[0].ID != "gw-2" || sug[0].Text != "防汛物资调拨" {
		t.Fatalf("suggest = %+v, %v; want gw-2 first", sug, err)
	}

	rep, err := e.svc.Reconcile(ctx, source.OfficeName)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Repaired() != 0 || rep.Scanned != 4 || rep.Indexed != 4 {
		t.Fatalf("reconcile = %+v, want 4 scanned, 4 indexed, nothing to repair", rep)
	}

	// Deleting one of a pair leaves the other.
	if _, err := e.Store.Delete(ctx, archivedDocs, "gw-2", store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	e.sync()
	want := []string{"gw-1 archive/gw-1", "gw-1 docs/gw-1", "gw-2 docs/gw-2"}
	if got := officeHits(t, e, "防汛"); !slices.Equal(got, want) {
		t.Fatalf("after deleting the archived gw-2: %q, want %q", got, want)
	}

	// A rebuild keeps both of a pair.
	if _, err := reindex.RunWith(ctx, e.Store, e.Dir, source.OfficeName, nil, reindex.Options{Projections: e.deps.Projections}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Swap(); err != nil {
		t.Fatal(err)
	}
	if got := officeHits(t, e, "防汛"); !slices.Equal(got, want) {
		t.Fatalf("after a rebuild: %q, want %q", got, want)
	}
	if rep, err := e.svc.Reconcile(ctx, source.OfficeName); err != nil || rep.Repaired() != 0 {
		t.Fatalf("reconcile after a rebuild = %+v, %v; want nothing to repair", rep, err)
	}
}
