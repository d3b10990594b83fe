package delivery

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// Batches of new, replaced and deleted entries: after each one every order
// and every channel's list holds the current entries, each once, sorted
// as its order sorts them (a brute-force sort), and the cells freed by
// earlier batches are given out again rather than the cells growing with
// every replacement.
func TestViewCellsFollowBatches(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	lv := newListView()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	ancestries := [][]string{{"news"}, {"files-a", "files"}, {"files-b", "files"}, {"speeches", "leaders"}}
	current := map[string]*entry{}
	peak, largestBatch := 0, 0
	for batch := range 60 {
		var upserts []*entry
		var deletes []string
		for range r.IntN(25) {
			id := fmt.Sprintf("it%02d", r.IntN(80))
			if r.IntN(4) == 0 {
				deletes = append(deletes, id)
				continue
			}
			// Titles and dates tie often, so that the id breaks ties.
			e := probeEntry(id, fmt.Sprintf("标题%d", r.IntN(5)))
			e.channels = listSymbol(ancestries[r.IntN(len(ancestries))])
			e.published = at.Add(time.Duration(r.IntN(6)) * time.Hour).UnixNano()
			e.updated = at.Add(time.Duration(r.IntN(6)) * time.Minute).UnixNano()
			e.listing = 1
			upserts = append(upserts, e)
		}
		lv.update(slices.Clone(upserts), nil, deletes)
		for _, id := range deletes {
			delete(current, id)
		}
		for _, e := range upserts {
			current[e.id()] = e
		}
		peak, largestBatch = max(peak, len(current)), max(largestBatch, len(upserts))

		v := lv.cur.Load()
		for i, o := range listOrders {
			want := func(ch string) []string {
				var es []*entry
				for _, e := range current {
					if ch == "" || slices.Contains(e.channels.list(), ch) {
						es = append(es, e)
					}
				}
				slices.SortFunc(es, func(a, b *entry) int {
					if o.less(a, b) {
						return -1
					}
					return 1
				})
				ids := []string{}
				for _, e := range es {
					ids = append(ids, e.id())
				}
				return ids
			}
			got := func(cells []uint32) []string {
				ids := []string{}
				for _, c := range cells {
					cl := v.cells[c]
					if cl.e == nil || cl.published != cl.e.published || cl.e.cell != c {
						t.Fatalf("batch %d, order %s: cell %d is %+v", batch, o.param, c, cl)
					}
					ids = append(ids, cl.e.id())
				}
				return ids
			}
			if g, w := got(v.orders[i]), want(""); !slices.Equal(g, w) {
				t.Fatalf("batch %d, order %s:\ngot  %v\nwant %v", batch, o.param, g, w)
			}
			for _, anc := range ancestries {
				for _, ch := range anc {
					if g, w := got(v.byChannel[i][ch]), want(ch); !slices.Equal(g, w) {
						t.Fatalf("batch %d, order %s, channel %s:\ngot  %v\nwant %v", batch, o.param, ch, g, w)
					}
				}
			}
		}
		if len(v.cells) > peak+largestBatch {
			t.Fatalf("batch %d: %d cells for at most %d entries", batch, len(v.cells), peak)
		}
	}
}
