package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"zhengwu/shared/backup"
	"zhengwu/shared/config"
	"zhengwu/shared/store"
	"zhengwu/shared/store/sqlitestore"
)

// TestBackupRestoreRoundTrip backs up a running demo server while it is
// written to, restores into an empty directory, and checks that the
// restore is exactly the store at the snapshot's feed position (every
// document of every collection, the media bytes), that a server on it
// answers the same portal item and office list, and that a damaged
// archive is refused with the file named before anything is written.
func TestBackupRestoreRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("boots the demo twice")
	}
	ctx := context.Background()
	const password = "Zw-Backup-Test-2026!"
	mediaDir := t.TempDir()
	srv, rt := demoServer(t, password, "--media-dir", mediaDir)
	data := rt.cfg.Data

	// Concurrent writes: each PutAll creates probe/N and sets the tally to
	// N in one transaction. A consistent snapshot holds probes 1..n and
	// the tally n, never a probe without its tally or the reverse.
	var writes atomic.Int64
	stop := make(chan struct{})
	writerDone := make(chan error, 1)
	go func() {
		tallyVersion := int64(0)
		for n := int64(1); ; n++ {
			select {
			case <-stop:
				writerDone <- nil
				return
			default:
			}
			docs, err := rt.store.PutAll(ctx, []store.Write{
				{Collection: "backup_probe", ID: fmt.Sprintf("p%08d", n), Data: fmt.Appendf(nil, `{"n":%d}`, n)},
				{Collection: "backup_probe", ID: "tally", Data: fmt.Appendf(nil, `{"n":%d}`, n), ExpectVersion: tallyVersion},
			})
			if err != nil {
				writerDone <- err
				return
			}
			tallyVersion = docs[1].Version
			writes.Store(n)
		}
	}()
	waitFor(t, func() bool { return writes.Load() >= 20 })

	out := filepath.Join(t.TempDir(), "zhengwu.tar")
	code, stdout, stderr := runCmd(t, "", nil, "backup", "--data", data, "--media-dir", mediaDir, "--out", out, "--log-level", "error")
	if code != 0 {
		t.Fatalf("backup: %d %s %s", code, stdout, stderr)
	}
	atBackup := writes.Load()
	waitFor(t, func() bool { return writes.Load() >= atBackup+20 }) // writes went on after it
	close(stop)
	if err := <-writerDone; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "backup: ") || !strings.Contains(stderr, "(100%)") {
		t.Errorf("no progress line on stderr: %q", stderr)
	}
	if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("archive %v, mode %v: want 0600", err, st.Mode())
	}
	m, err := backup.Verify(ctx, out, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.MasterKey != "included" || m.Media != "disk" || m.FeedSeq == 0 {
		t.Errorf("manifest: master key %q, media %q, feed %d", m.MasterKey, m.Media, m.FeedSeq)
	}
	for _, f := range m.Files {
		if strings.HasPrefix(f.Name, "index/") || strings.HasPrefix(f.Name, "tmp/") {
			t.Errorf("the archive holds derived or temporary file %s", f.Name)
		}
	}

	// A damaged copy (one byte flipped inside the database's entry, the
	// first and largest) is refused with the file named, and nothing is
	// written.
	damaged := filepath.Join(t.TempDir(), "damaged.tar")
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)/3] ^= 0x40
	if err := os.WriteFile(damaged, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	refusedData := filepath.Join(t.TempDir(), "refused")
	code, _, stderr = runCmd(t, "", nil, "restore", "--data", refusedData, "--media-dir", t.TempDir(), "--in", damaged)
	if code == 0 || !strings.Contains(stderr, "damaged") || !strings.Contains(stderr, dbFile) {
		t.Errorf("a flipped byte: exit %d, %q; want a refusal naming %s", code, lastLine(stderr), dbFile)
	}
	if _, err := os.Stat(refusedData); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the refused restore wrote into %s (%v)", refusedData, err)
	}
	var de *backup.DamagedError
	if _, err := backup.Verify(ctx, damaged, nil); !errors.As(err, &de) || de.File != dbFile {
		t.Errorf("Verify of the damaged archive: %v", err)
	}

	// A directory that holds anything is refused.
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "keep"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCmd(t, "", nil, "restore", "--data", full, "--in", out); code == 0 || !strings.Contains(stderr, "not empty") {
		t.Errorf("restore into a non-empty directory: exit %d %q", code, stderr)
	}

	restored, restoredMedia := filepath.Join(t.TempDir(), "data"), filepath.Join(t.TempDir(), "media")
	code, stdout, stderr = runCmd(t, "", nil, "restore", "--data", restored, "--media-dir", restoredMedia, "--in", out)
	if code != 0 {
		t.Fatalf("restore: %d %s %s", code, stdout, stderr)
	}
	if strings.Contains(stderr, "warning") { // the archived master key opens the restored signing keys
		t.Errorf("restore warned: %s", lastLine(stderr))
	}
	// Restored with another master key than the backed-up server's: the
	// files are sound, and restore says the key will not open them.
	otherKey := filepath.Join(t.TempDir(), "other.key")
	if err := os.WriteFile(otherKey, []byte(strings.Repeat("ab", 32)), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCmd(t, "", nil, "restore", "--data", filepath.Join(t.TempDir(), "d"), "--media-dir", filepath.Join(t.TempDir(), "m"),
		"--key-file", otherKey, "--in", out)
	if code != 0 || !strings.Contains(stderr, "does not open the signing keys") {
		t.Errorf("restore with another master key: exit %d, %q", code, lastLine(stderr))
	}

	compareStores(t, rt.store, filepath.Join(data, dbFile), filepath.Join(restored, dbFile), m)
	compareMedia(t, mediaDir, restoredMedia, m)

	// A server on the restored directory rebuilds its indexes and answers
	// as the original did: the same portal item, the same office list,
	// and the original's token (its signing keys came back with the master
	// key).
	env := envOf(map[string]string{"ZHENGWU_DEMO_PASSWORD": password})
	cfg, err := config.Parse([]string{"--data", restored, "--media-dir", restoredMedia, "--log-level", "error"}, env, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	rt2, err := openRuntime(ctx, cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt2.Close() })
	srv2, err := newServer(ctx, cfg, rt2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv2.Close)

	status, _, body := matrixDo(t, srv, "GET", "/api/portal/v1/items?size=5&fields=title", "", nil)
	var page struct {
		Items []struct{ ID, Title string } `json:"items"`
	}
	if err := json.Unmarshal(body, &page); status != 200 || err != nil || len(page.Items) == 0 {
		t.Fatalf("portal list on the original: %d %v %s", status, err, body)
	}
	want := page.Items[0]
	waitFor(t, func() bool {
		status, _, body := matrixDo(t, srv2, "GET", "/api/portal/v1/items/"+want.ID, "", nil)
		return status == 200 && bytes.Contains(body, []byte(want.Title))
	})
	token := tokenOf(t, srv, "huiwu")
	_, _, before := matrixDo(t, srv, "GET", "/api/office/v1/meetings", token, nil)
	var after []byte
	ok := waitUntil(30*time.Second, func() bool {
		var status int
		status, _, after = matrixDo(t, srv2, "GET", "/api/office/v1/meetings", token, nil)
		return status == 200 && slices.Equal(ids(before), ids(after))
	})
	if !ok || len(ids(before)) == 0 {
		t.Errorf("office meetings list: restored %s\noriginal %s", short(after), short(before))
	}
}

// compareStores checks the restored database against the live store: the
// restore holds exactly the documents the live store held at the
// snapshot's feed position (later writes excluded, earlier ones all there
// and byte for byte equal), in every collection.
func compareStores(t *testing.T, live store.Store, livePath, restoredPath string, m backup.Manifest) {
	t.Helper()
	ctx := context.Background()
	got, err := sqlitestore.Inspect(ctx, restoredPath)
	if err != nil {
		t.Fatal(err)
	}
	if got.FeedSeq != m.FeedSeq {
		t.Errorf("restored feed position %d, manifest %d", got.FeedSeq, m.FeedSeq)
	}
	rs, err := sqlitestore.Open(restoredPath)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	// The live store's collections are read from its file (read-only,
	// beside the server writing it), as the manifest's were.
	liveContents, err := sqlitestore.Inspect(ctx, livePath)
	if err != nil {
		t.Fatal(err)
	}
	collections := map[string]bool{}
	for coll := range liveContents.Collections {
		collections[coll] = true
	}
	for coll, n := range got.Collections {
		collections[coll] = true
		if n != m.Collections[coll] {
			t.Errorf("%s: %d documents restored, the manifest says %d", coll, n, m.Collections[coll])
		}
	}
	compared := 0
	for coll := range collections {
		restoredDocs := scanAll(t, rs, coll)
		liveDocs := scanAll(t, live, coll)
		for id, d := range liveDocs {
			if d.Seq > m.FeedSeq {
				continue // written after the snapshot
			}
			r, ok := restoredDocs[id]
			if !ok {
				t.Errorf("%s/%s (seq %d ≤ %d) missing from the restore", coll, id, d.Seq, m.FeedSeq)
				continue
			}
			if r.Version != d.Version || r.Seq != d.Seq || !bytes.Equal(r.Data, d.Data) || !r.UpdatedAt.Equal(d.UpdatedAt) {
				t.Errorf("%s/%s differs: restored v%d seq %d, live v%d seq %d", coll, id, r.Version, r.Seq, d.Version, d.Seq)
			}
			compared++
		}
		for id, r := range restoredDocs {
			if r.Seq > m.FeedSeq {
				t.Errorf("%s/%s has seq %d, after the snapshot's %d", coll, id, r.Seq, m.FeedSeq)
			}
		}
	}
	// The concurrent writer's transactions are whole: probes 1..n, tally n.
	probes := scanAll(t, rs, "backup_probe")
	var tally struct{ N int }
	if err := probes["tally"].Decode(&tally); err != nil || tally.N != len(probes)-1 || tally.N == 0 {
		t.Errorf("the snapshot cut a transaction: tally %d, %d probes (%v)", tally.N, len(probes)-1, err)
	}
	// The feed goes on after the restored position.
	d, err := rs.Put(ctx, "backup_probe", "after-restore", []byte(`{}`), 0)
	if err != nil || d.Seq <= m.FeedSeq {
		t.Errorf("a write after the restore got seq %d (≤ %d?) %v", d.Seq, m.FeedSeq, err)
	}
	if compared < 1000 {
		t.Errorf("compared only %d documents", compared)
	}
	t.Logf("compared %d documents in %d collections; feed position %d", compared, len(got.Collections), m.FeedSeq)
}

func scanAll(t *testing.T, st store.Store, coll string) map[string]store.Doc {
	t.Helper()
	out := map[string]store.Doc{}
	after := ""
	for {
		docs, err := st.Scan(context.Background(), coll, after, 500)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			out[d.ID] = d
		}
		if len(docs) < 500 {
			return out
		}
		after = docs[len(docs)-1].ID
	}
}

// compareMedia checks every media file the manifest lists came back with
// the original's bytes.
func compareMedia(t *testing.T, orig, restored string, m backup.Manifest) {
	t.Helper()
	n := 0
	for _, f := range m.Files {
		rel, ok := strings.CutPrefix(f.Name, "media/")
		if !ok {
			continue
		}
		a, err := os.ReadFile(filepath.Join(orig, rel))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(restored, rel))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("media %s: restored bytes differ (%v)", rel, err)
		}
		n++
	}
	if n == 0 {
		t.Error("the demo's media files are not in the backup")
	}
}

var idField = regexp.MustCompile(`"id":"([^"]+)"`)

func ids(body []byte) []string {
	var out []string
	for _, m := range idField.FindAllSubmatch(body, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

func waitUntil(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return cond()
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	if !waitUntil(60*time.Second, cond) {
		t.Fatal("timed out")
	}
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexAny(s, "\r\n"); i >= 0 {
		return s[i+1:]
	}
	return s
}

// The commands say what they need and what is wrong, rather than write
// something half right.
func TestBackupRestoreRefusals(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"backup", "--data", dir}, "--out FILE is required"},
		{[]string{"restore", "--data", dir}, "--in FILE is required"},
		{[]string{"backup", "--data", dir, "--out", filepath.Join(dir, "b.tar")}, "no database"},
		// MongoDB (migrate_test.go has the round trip): a server that does
		// not answer, an archive that is not there.
		{[]string{"backup", "--mongodb-uri", "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300", "--out", filepath.Join(dir, "b.tar")}, "mongostore: ping"},
		{[]string{"restore", "--mongodb-uri", "mongodb://127.0.0.1:1", "--in", filepath.Join(dir, "b.tar")}, "no such file"},
	} {
		code, _, stderr := runCmd(t, "", nil, c.args...)
		if code == 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d %q; want %q", c.args, code, stderr, c.want)
		}
	}
}
