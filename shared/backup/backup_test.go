package backup_test

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zhengwu/shared/backup"
)

// files writes name → content under a new directory and returns the
// sources naming them.
func files(t *testing.T, contents map[string]string) []backup.Source {
	t.Helper()
	dir := t.TempDir()
	var out []backup.Source
	for name, body := range contents {
		p := filepath.Join(dir, strings.ReplaceAll(name, "/", "_"))
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		out = append(out, backup.Source{Name: name, Path: p})
	}
	return out
}

func TestRoundTripPlainAndGzip(t *testing.T) {
	ctx := context.Background()
	srcs := files(t, map[string]string{"zhengwu.db": strings.Repeat("数据库", 5000), "media/ab/abc": "图片"})
	for _, name := range []string{"b.tar", "b.tar.gz"} {
		out := filepath.Join(t.TempDir(), name)
		var progress bytes.Buffer
		m, err := backup.Write(ctx, out, backup.Manifest{Store: "sqlite", FeedSeq: 7}, srcs, &progress)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(progress.String(), "2/2 files") || !strings.Contains(progress.String(), "(100%)") {
			t.Errorf("%s: progress %q", name, progress.String())
		}
		if _, err := backup.Write(ctx, out, backup.Manifest{}, srcs, nil); err == nil {
			t.Errorf("%s: Write over an existing file", name)
		}
		got, err := backup.Verify(ctx, out, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.FeedSeq != 7 || len(got.Files) != 2 || got.Files[0].SHA256 != m.Files[0].SHA256 {
			t.Errorf("%s: manifest read back %+v", name, got)
		}
		dest := t.TempDir()
		written, err := backup.Extract(ctx, out, got, func(n string) (string, error) { return filepath.Join(dest, n), nil }, nil)
		if err != nil || len(written) != 2 {
			t.Fatalf("%s: extract %v %v", name, written, err)
		}
		b, err := os.ReadFile(filepath.Join(dest, "media/ab/abc"))
		if err != nil || string(b) != "图片" {
			t.Errorf("%s: extracted %q %v", name, b, err)
		}
	}
}

// rawArchive writes a tar by hand, for archives Write would never make.
func rawArchive(t *testing.T, entries ...[2]string) string {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		if err := tw.WriteHeader(&tar.Header{Name: e[0], Mode: 0o600, Size: int64(len(e[1])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "raw.tar")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestVerifyRefuses(t *testing.T) {
	ctx := context.Background()
	manifest := `{"format":"zhengwu-backup/1","files":[{"name":"zhengwu.db","size":3,"sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}]}`
	cases := []struct {
		name    string
		entries [][2]string
		file    string // the file the refusal names
	}{
		{"no manifest", [][2]string{{"zhengwu.db", "abc"}}, backup.ManifestName},
		{"changed bytes", [][2]string{{"zhengwu.db", "abd"}, {backup.ManifestName, manifest}}, "zhengwu.db"},
		{"missing file", [][2]string{{backup.ManifestName, manifest}}, "zhengwu.db"},
		{"an extra file", [][2]string{{"zhengwu.db", "abc"}, {"evil", "x"}, {backup.ManifestName, manifest}}, "evil"},
		{"a name leaving the directory", [][2]string{{"../etc/passwd", "x"}, {backup.ManifestName, manifest}}, "../etc/passwd"},
		{"a damaged manifest", [][2]string{{"zhengwu.db", "abc"}, {backup.ManifestName, manifest[:40]}}, backup.ManifestName},
	}
	for _, c := range cases {
		_, err := backup.Verify(ctx, rawArchive(t, c.entries...), nil)
		var de *backup.DamagedError
		if !errors.As(err, &de) || de.File != c.file {
			t.Errorf("%s: %v; want a DamagedError naming %s", c.name, err, c.file)
		}
	}
	// The same entries, whole, pass: the cases above fail for their fault.
	if _, err := backup.Verify(ctx, rawArchive(t, [2]string{"zhengwu.db", "abc"}, [2]string{backup.ManifestName, manifest}), nil); err != nil {
		t.Errorf("a sound archive: %v", err)
	}
}

// A gzip'd archive cut short is refused, naming where it broke off.
func TestVerifyTruncatedGzip(t *testing.T) {
	ctx := context.Background()
	srcs := files(t, map[string]string{"zhengwu.db": strings.Repeat("x", 1<<20)})
	out := filepath.Join(t.TempDir(), "b.tar.gz")
	if _, err := backup.Write(ctx, out, backup.Manifest{}, srcs, nil); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(out)
	if err := os.WriteFile(out, raw[:len(raw)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	var de *backup.DamagedError
	if _, err := backup.Verify(ctx, out, nil); !errors.As(err, &de) || de.File != "zhengwu.db" {
		t.Errorf("truncated: %v", err)
	}
}
