package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"zhengwu/shared/store"
	"zhengwu/shared/store/mongostore/mongotest"
	"zhengwu/shared/store/sqlitestore"
)

// The commands end to end against MongoDB (embedded FerretDB, or
// MONGODB_URI): migrate an embedded data directory, run it again (nothing
// to do), back the MongoDB database up, restore the archive into an empty
// data directory and into an empty MongoDB database, and compare every
// document with the original. The copying itself is tested in
// shared/store/migrate (interruption, resumption, refusals).
func TestMigrateBackupRestoreMongo(t *testing.T) {
	uri, _, stop, err := mongotest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	ctx := context.Background()
	data := t.TempDir()
	orig, err := sqlitestore.Open(filepath.Join(data, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer orig.Close()
	for i := range 80 {
		for v := range i%3 + 1 {
			body := fmt.Appendf(nil, `{"title":"第%d号通知","rev":%d,"big":12345678901234567890}`, i, v)
			if _, err := orig.Put(ctx, []string{"cms_items", "office_docs"}[i%2], fmt.Sprintf("%03d", i), body, store.AnyVersion); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := orig.Delete(ctx, "cms_items", "000", store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	if _, err := orig.Incr(ctx, "gateway.crossed", 7); err != nil {
		t.Fatal(err)
	}
	db := fmt.Sprintf("zwcmd_%d_%d", os.Getpid(), time.Now().UnixNano()) // apart from earlier runs on a real MongoDB

	code, out, errOut := runCmd(t, "", nil, "migrate", "--help")
	if code != 0 || !strings.Contains(out, "-to string") || strings.Contains(out, "-target") {
		t.Fatalf("migrate --help: %d %q %q", code, out, errOut)
	}
	code, out, errOut = runCmd(t, "", map[string]string{"ZHENGWU_MONGODB_URI": uri}, "migrate", "--data", data, "--mongodb-database", db)
	if code != 0 || !strings.Contains(out, "migrated 79 documents in 2 collections, 1 counters") || !strings.Contains(errOut, "migrate: feed:") {
		t.Fatalf("migrate: %d %q %q", code, out, errOut)
	}
	code, out, _ = runCmd(t, "", nil, "migrate", "--data", data, "--to", uri, "--mongodb-database", db)
	if code != 0 || !strings.Contains(out, "(0 written in this run") {
		t.Fatalf("migrate again: %d %q", code, out)
	}

	archive := filepath.Join(t.TempDir(), "mongo.tar.gz")
	code, out, errOut = runCmd(t, "", nil, "backup", "--mongodb-uri", uri, "--mongodb-database", db, "--out", archive, "--log-level", "error")
	if code != 0 || !strings.Contains(out, "79 documents in 2 collections") {
		t.Fatalf("backup of MongoDB: %d %q %q", code, out, errOut)
	}
	restored := filepath.Join(t.TempDir(), "data")
	code, out, errOut = runCmd(t, "", nil, "restore", "--data", restored, "--in", archive, "--log-level", "error")
	if code != 0 {
		t.Fatalf("restore into an empty data directory: %d %q %q", code, out, errOut)
	}
	back, err := sqlitestore.Open(filepath.Join(restored, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	sameStores(t, orig, back)

	code, out, errOut = runCmd(t, "", nil, "restore", "--mongodb-uri", uri, "--mongodb-database", db+"_r", "--in", archive, "--log-level", "error")
	if code != 0 || !strings.Contains(out, "restored into MongoDB database") {
		t.Fatalf("restore into MongoDB: %d %q %q", code, out, errOut)
	}
	// A database holding another deployment is refused.
	code, _, errOut = runCmd(t, "", nil, "migrate", "--data", restored+"-none", "--to", uri, "--mongodb-database", db)
	if code == 0 || !strings.Contains(errOut, "no database in --data") {
		t.Fatalf("migrate of a missing directory: %d %q", code, errOut)
	}
	other := t.TempDir()
	os2, err := sqlitestore.Open(filepath.Join(other, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os2.Put(ctx, "cms_items", "x", []byte(`{"title":"另一个部署"}`), 0); err != nil {
		t.Fatal(err)
	}
	_ = os2.Close()
	code, _, errOut = runCmd(t, "", nil, "migrate", "--data", other, "--to", uri, "--mongodb-database", db)
	if code == 0 || !strings.Contains(errOut, "another deployment's data") {
		t.Fatalf("migrate into another deployment's database: %d %q", code, errOut)
	}
}

// sameStores compares every document (bytes, version, feed sequence, time
// to the millisecond MongoDB keeps) and the feed position of two stores.
func sameStores(t *testing.T, a, b *sqlitestore.Store) {
	t.Helper()
	ctx := context.Background()
	names, _ := a.Collections(ctx)
	bnames, _ := b.Collections(ctx)
	if strings.Join(names, ",") != strings.Join(bnames, ",") {
		t.Fatalf("collections %v, restored %v", names, bnames)
	}
	n := 0
	for _, c := range names {
		da, db := scanAll(t, a, c), scanAll(t, b, c)
		if len(da) != len(db) {
			t.Fatalf("%s: %d documents, restored %d", c, len(da), len(db))
		}
		for id, d := range da {
			r := db[id]
			if r.Version != d.Version || r.Seq != d.Seq || !bytes.Equal(r.Data, d.Data) || r.UpdatedAt.UnixMilli() != d.UpdatedAt.UnixMilli() {
				t.Fatalf("%s/%s differs: %+v, restored %+v", c, id, d, r)
			}
			n++
		}
	}
	la, _ := a.LastSeq(ctx)
	lb, _ := b.LastSeq(ctx)
	if la != lb || n != 79 {
		t.Fatalf("feed position %d, restored %d; %d documents compared", la, lb, n)
	}
}
