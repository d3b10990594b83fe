package attachment_test

import (
	"context"
	"slices"
	"testing"

	"zhengwu/shared/attachment"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// Documents stored before their files were recorded get their references
// once: a second start finds the marker and scans nothing; an edition
// speaks for its document.
func TestBackfillRecordsOldDocumentsOnce(t *testing.T) {
	k := testkit.New(t)
	ctx := context.Background()
	type edition struct {
		Doc   string   `json:"doc"`
		Files []string `json:"files"`
	}
	for id, e := range map[string]edition{"d1/1": {"d1", []string{"m1", "m2"}}, "d1/2": {"d1", []string{"m2"}},
		"d2/1": {"d2", nil}, "d3/1": {"d3", []string{"m1"}}} {
		if _, err := store.Save(ctx, k.Store, "editions", id, e, store.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	owner := func(d store.Doc) (string, string, []string, error) {
		var e edition
		err := d.Decode(&e)
		return "docs", e.Doc, e.Files, err
	}
	n, err := attachment.Backfill(ctx, k.Store, "editions", owner)
	if err != nil || n != 3 { // m1→d1, m2→d1 (twice, one reference), m1→d3
		t.Fatalf("backfill: %d refs, %v", n, err)
	}
	owners := func(m string) []string {
		refs, err := attachment.Owners(ctx, k.Store, m)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range refs {
			out = append(out, r.Collection+"/"+r.ID)
		}
		slices.Sort(out)
		return out
	}
	if got := owners("m1"); !slices.Equal(got, []string{"docs/d1", "docs/d3"}) {
		t.Errorf("m1's owners: %v", got)
	}
	if got := owners("m2"); !slices.Equal(got, []string{"docs/d1"}) {
		t.Errorf("m2's owners: %v", got)
	}
	if n, err := attachment.Backfill(ctx, k.Store, "editions", func(store.Doc) (string, string, []string, error) {
		t.Fatal("scanned again after the marker")
		return "", "", nil, nil
	}); err != nil || n != 0 {
		t.Fatalf("second run: %d, %v", n, err)
	}
}
