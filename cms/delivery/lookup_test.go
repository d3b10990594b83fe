package delivery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"zhengwu/cms/channel"
	"zhengwu/cms/item"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// randomLinkedItem is a policy file (or now and then an article) with a
// path that other items may share, and links to other ids of the pool
// (some twice, some by two relations, some to ids that do not exist).
func randomLinkedItem(r *rand.Rand, id string, pool int) item.Item {
	base := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	it := item.Item{ID: id, Type: channel.TypePolicy, Channel: "files-general-office", Department: "zonghe",
		Visibility: channel.Public, Title: fmt.Sprintf("文件%d", r.IntN(50)), Status: item.StatusPublished, Edition: 1,
		PublishedAt: base.Add(time.Duration(r.IntN(30)) * 24 * time.Hour),
		Policy:      &item.Policy{DocNumber: fmt.Sprintf("皖政〔2025〕%d号", r.IntN(100)), Validity: item.Validities[r.IntN(len(item.Validities))]}}
	it.UpdatedAt = it.PublishedAt
	it.Path = "files/" + id
	if r.IntN(5) == 0 { // a path another item may hold too
		it.Path = fmt.Sprintf("files/shared-%d", r.IntN(4))
	}
	if r.IntN(6) == 0 {
		it.Type, it.Policy = channel.TypeArticle, nil
	}
	switch r.IntN(8) {
	case 0:
		it.Status, it.Withdrawal = item.StatusWithdrawn, &item.Notice{Reason: "过时", At: it.PublishedAt}
	case 1:
		it.Visibility = channel.Internal
	case 2:
		it.Status, it.RedirectTo = item.StatusRedirected, "l0"
	case 3:
		it.Status = item.StatusGone
	}
	target := func() string { return fmt.Sprintf("l%d", r.IntN(pool+5)) }
	for range r.IntN(4) {
		switch r.IntN(3) {
		case 0:
			it.Links.Amends = append(it.Links.Amends, target())
		case 1:
			it.Links.Repeals = append(it.Links.Repeals, target())
		default:
			it.Links.Interprets = append(it.Links.Interprets, target())
		}
	}
	if r.IntN(10) == 0 && len(it.Links.Amends) > 0 { // the same item by two relations
		it.Links.Interprets = append(it.Links.Interprets, it.Links.Amends[0])
	}
	return it
}

// wantPath is the item a path names, by brute force over the store: the
// smallest id of the items at that path.
func wantPath(items []projected, path string) (string, bool) {
	var ids []string
	for _, m := range items {
		if m.f[fPath] == path {
			ids = append(ids, m.id)
		}
	}
	if len(ids) == 0 {
		return "", false
	}
	return slices.Min(ids), true
}

// wantReverse are the reverse links of id, by brute force over the store:
// the newest maxSize items linking to it (ties by id), those the reader
// may see.
func wantReverse(items []projected, id string, signedIn bool) reverseLinks {
	var hits []projected
	for _, m := range items {
		for _, term := range strings2(m.f[fLinks]) {
			if _, to, _ := strings.Cut(term, ":"); to == id {
				hits = append(hits, m)
				break
			}
		}
	}
	slices.SortFunc(hits, func(a, b projected) int {
		if c := b.f[fPublishedAt].(time.Time).Compare(a.f[fPublishedAt].(time.Time)); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	var rl reverseLinks
	for _, h := range hits[:min(len(hits), maxSize)] {
		if !slices.Contains(listingTerms(linkedStatuses, signedIn), h.f[fListing].(string)) {
			continue
		}
		str := func(name string) string { v, _ := h.f[name].(string); return v }
		ref := LinkRef{ID: h.id, Title: str(fTitleSort), Path: str(fPath), DocNumber: str(fDocNumber), Validity: str(fValidity)}
		links := strings2(h.f[fLinks])
		if slices.Contains(links, relAmends+":"+id) {
			rl.AmendedBy = append(rl.AmendedBy, ref)
		}
		if slices.Contains(links, relRepeals+":"+id) {
			rl.RepealedBy = append(rl.RepealedBy, ref)
		}
		if slices.Contains(links, relInterprets+":"+id) {
			rl.InterpretedBy = append(rl.InterpretedBy, ref)
		}
	}
	return rl
}

// The view's look-ups answer as a brute-force search of the stored items
// does, after the first load, after batches that edit, relink, move and
// delete items, and after a restart: the item at every path (shared paths
// included) and the reverse links of every id, anonymous and signed in.
func TestLookupsAnswerAsBruteForce(t *testing.T) {
	t.Parallel()
	const pool = 120
	k := testkit.New(t)
	ctx := context.Background()
	if _, err := channel.Seed(ctx, k.Store); err != nil {
		t.Fatal(err)
	}
	e := &viewEnv{k: k, dir: filepath.Join(k.Dir, "portal_items")}
	r := rand.New(rand.NewPCG(9, 10))
	put := func(its ...item.Item) {
		var writes []store.Write
		for _, it := range its {
			data, _ := json.Marshal(it)
			writes = append(writes, store.Write{Collection: item.Collection, ID: it.ID, Data: data, ExpectVersion: store.AnyVersion})
		}
		if _, err := k.Store.PutAll(ctx, writes); err != nil {
			t.Fatal(err)
		}
	}
	var first []item.Item
	for i := range pool {
		first = append(first, randomLinkedItem(r, fmt.Sprintf("l%d", i), pool))
	}
	put(first...)
	e.open(t) // loads the view from the store
	check := func(stage string) {
		t.Helper()
		if err := e.svc.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		items := storedItems(t, e.svc)
		paths := []string{"files/none", "files/shared-0", "files/shared-1", "files/shared-2", "files/shared-3"}
		for i := range pool + 5 {
			id := fmt.Sprintf("l%d", i)
			paths = append(paths, "files/"+id)
			for _, signedIn := range []bool{false, true} {
				got, err := e.svc.reverseLinks(ctx, id, signedIn)
				if err != nil {
					t.Fatal(err)
				}
				if want := wantReverse(items, id, signedIn); !reflect.DeepEqual(got, want) {
					t.Fatalf("%s: reverse links of %s (signed in %v):\n got %+v\nwant %+v", stage, id, signedIn, got, want)
				}
			}
		}
		for _, p := range paths {
			got, gok := e.svc.view.look.path(p)
			want, wok := wantPath(items, p)
			if got != want || gok != wok {
				t.Fatalf("%s: path %s: got %q %v, want %q %v", stage, p, got, gok, want, wok)
			}
		}
	}
	check("loaded")
	for round := range 4 {
		batch := map[string]item.Item{} // one write an id
		for range 25 {
			id := fmt.Sprintf("l%d", r.IntN(pool+5))
			batch[id] = randomLinkedItem(r, id, pool)
		}
		put(slices.Collect(maps.Values(batch))...)
		for range 5 {
			_, err := k.Store.Delete(ctx, item.Collection, fmt.Sprintf("l%d", r.IntN(pool)), store.AnyVersion)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				t.Fatal(err)
			}
		}
		check(fmt.Sprintf("round %d", round))
	}
	if err := e.svc.Close(); err != nil {
		t.Fatal(err)
	}
	e.open(t)
	check("restarted")
}
