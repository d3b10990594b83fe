package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"zhengwu/cms/channel"
	"zhengwu/cms/item"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// benchDetailService is a service over 20,000 policy files, each of the
// last 5,000 amending one of the first 5,000 and interpreting another, and
// its id and path list.
func benchDetailService(b *testing.B) (*Service, []string, []string) {
	b.Helper()
	ctx := context.Background()
	k := testkit.New(b)
	tree, err := channel.Seed(ctx, k.Store)
	if err != nil {
		b.Fatal(err)
	}
	const n = 20000
	now := time.Now().UTC()
	var ids, paths []string
	var writes []store.Write
	for i := range n {
		at := now.Add(-time.Duration(n-i) * 10 * time.Minute)
		it := item.Item{ID: fmt.Sprintf("p%06d", i), Type: channel.TypePolicy, Channel: "files-general-office",
			Department: "zonghe", Visibility: channel.Public, Title: fmt.Sprintf("关于第%d号文件的通知", i),
			Status: item.StatusPublished, Edition: 1, PublishedAt: at, UpdatedAt: at,
			Policy: &item.Policy{DocNumber: fmt.Sprintf("皖政办〔2026〕%d号", i), Validity: item.ValidityInForce}}
		it.Path = "files/" + it.ID
		if i >= n-5000 {
			it.Links.Amends = []string{fmt.Sprintf("p%06d", i-(n-5000))}
			it.Links.Interprets = []string{fmt.Sprintf("p%06d", (i*7)%5000)}
		}
		ids, paths = append(ids, it.ID), append(paths, it.Path)
		data, _ := json.Marshal(it)
		writes = append(writes, store.Write{Collection: item.Collection, ID: it.ID, Data: data, ExpectVersion: store.AnyVersion})
		if len(writes) == 500 {
			if _, err := k.Store.PutAll(ctx, writes); err != nil {
				b.Fatal(err)
			}
			writes = writes[:0]
		}
	}
	svc, err := New(Deps{Store: k.Store, Channels: tree, IndexDir: filepath.Join(k.Dir, "index"), Logger: k.Log,
		FeedBatchSize: 5000})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = svc.Close() })
	if err := svc.CatchUp(ctx); err != nil {
		b.Fatal(err)
	}
	return svc, ids, paths
}

// BenchmarkDetail measures a detail's look-ups, each a miss of every
// response cache (the generation moves before each): an item by path
// (look-up, store read, render with its links and reverse links), and the
// reverse links of a file alone.
func BenchmarkDetail(b *testing.B) {
	svc, ids, paths := benchDetailService(b)
	ctx := context.Background()
	b.Run("by-path/miss", func(b *testing.B) {
		i := 0
		for b.Loop() {
			svc.fresh.gen.Add(1)
			a, err := svc.ItemByPath(ctx, nil, paths[i%len(paths)], nil)
			if err != nil || a.Body == nil {
				b.Fatal(err)
			}
			i += 7
		}
	})
	b.Run("reverse-links/miss", func(b *testing.B) {
		i := 0
		for b.Loop() {
			svc.fresh.gen.Add(1)
			rl, err := svc.reverseLinks(ctx, ids[i%5000], false)
			if err != nil || len(rl.AmendedBy) != 1 {
				b.Fatalf("%v %+v", err, rl)
			}
			i++
		}
	})
}
