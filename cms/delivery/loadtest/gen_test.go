package loadtest

import (
	"testing"
	"unicode/utf8"

	"zhengwu/cms/channel"
	"zhengwu/cms/item"
)

func TestItemsAreRealisticAndDeterministic(t *testing.T) {
	t.Parallel()
	const n = 1000
	types := map[string]int{}
	for i := range n {
		it := Item(i, n)
		if it.ID != ID(i) || it.Title == "" || it.Path == "" || it.Status != item.StatusPublished {
			t.Fatalf("item %d: %+v", i, it)
		}
		if l := len(it.Body); l < 1000 || l > 1400 || !utf8.ValidString(it.Body) {
			t.Fatalf("item %d: body of %d bytes", i, l)
		}
		if (i < FirstPublic(n)) != (it.Visibility == channel.Internal) {
			t.Fatalf("item %d: visibility %s", i, it.Visibility)
		}
		types[it.Type]++
	}
	if len(types) != 5 || types[channel.TypeArticle] < 400 {
		t.Fatalf("types %v", types)
	}
	if a, b := Item(42, n), Item(42, n); a.Title != b.Title || a.Body != b.Body {
		t.Fatal("not deterministic")
	}
}
