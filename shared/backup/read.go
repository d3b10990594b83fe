package backup

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// maxManifest bounds the manifest read into memory (a million media
// files make about 150 MB; a damaged size field must not exhaust memory).
const maxManifest = 256 << 20

// DamagedError: the archive is not what its manifest says. File names the
// entry at fault (empty when the damage is in the archive's structure
// before any entry).
type DamagedError struct {
	File   string
	Reason string
}

func (e *DamagedError) Error() string {
	if e.File == "" {
		return "backup: the archive is damaged: " + e.Reason
	}
	return fmt.Sprintf("backup: the archive is damaged: %s: %s", e.File, e.Reason)
}

// archive is an open archive, tar or gzip'd tar, and the progress of
// reading the file underneath.
type archive struct {
	f  *os.File
	tr *tar.Reader
	p  *progress
}

func openArchive(in, verb string, progressOut io.Writer) (*archive, error) {
	f, err := os.Open(in)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	p := newProgress(progressOut, verb, -1, st.Size())
	br := bufio.NewReader(io.TeeReader(f, countingWriter{io.Discard, p}))
	var r io.Reader = br
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		gz, err := gzip.NewReader(br)
		if err != nil {
			_ = f.Close()
			return nil, &DamagedError{Reason: err.Error()}
		}
		r = gz
	}
	return &archive{f: f, tr: tar.NewReader(r), p: p}, nil
}

func (a *archive) close() error { return a.f.Close() }

// each calls fn with every entry in order; a damaged structure is named
// by the entry it was found in (or after).
func (a *archive) each(ctx context.Context, fn func(h *tar.Header, r io.Reader) error) error {
	prev := ""
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		h, err := a.tr.Next()
		if errors.Is(err, io.EOF) {
			a.p.done()
			return nil
		}
		if err != nil {
			where := "the first entry"
			if prev != "" {
				where = "the entry after " + prev
			}
			return &DamagedError{File: prev, Reason: fmt.Sprintf("%s cannot be read (%v)", where, err)}
		}
		if h.Typeflag != tar.TypeReg {
			return &DamagedError{File: h.Name, Reason: "not a regular file"}
		}
		if h.Name != ManifestName {
			if err := checkName(h.Name); err != nil {
				return &DamagedError{File: h.Name, Reason: err.Error()}
			}
		}
		if err := fn(h, a.tr); err != nil {
			return err
		}
		if h.Name != ManifestName {
			a.p.fileDone()
		}
		prev = h.Name
	}
}

// Verify reads the whole archive and checks it before anything is
// restored: the manifest is present and of this format, every file it
// lists is there with its size and SHA-256, and nothing else is.
func Verify(ctx context.Context, in string, progressOut io.Writer) (Manifest, error) {
	a, err := openArchive(in, "verify", progressOut)
	if err != nil {
		return Manifest{}, err
	}
	defer a.close()
	var m *Manifest
	seen := map[string]File{}
	err = a.each(ctx, func(h *tar.Header, r io.Reader) error {
		if h.Name == ManifestName {
			if h.Size > maxManifest {
				return &DamagedError{File: h.Name, Reason: "too large"}
			}
			var got Manifest
			if err := json.NewDecoder(io.LimitReader(r, maxManifest)).Decode(&got); err != nil {
				return &DamagedError{File: h.Name, Reason: "not a manifest: " + err.Error()}
			}
			m = &got
			return nil
		}
		if _, dup := seen[h.Name]; dup {
			return &DamagedError{File: h.Name, Reason: "appears twice"}
		}
		f, err := hashEntry(h, r)
		if err != nil {
			return err
		}
		seen[h.Name] = f
		return nil
	})
	if err != nil {
		return Manifest{}, err
	}
	if m == nil {
		return Manifest{}, &DamagedError{File: ManifestName, Reason: "missing (the archive is cut short, or is not a Zhengwu backup)"}
	}
	if m.Format != Format {
		return Manifest{}, fmt.Errorf("backup: the archive's format is %q; this zhengwu reads %q", m.Format, Format)
	}
	listed := map[string]bool{}
	for _, want := range m.Files {
		listed[want.Name] = true
		got, ok := seen[want.Name]
		switch {
		case !ok:
			return Manifest{}, &DamagedError{File: want.Name, Reason: "listed in the manifest but missing from the archive"}
		case got.Size != want.Size:
			return Manifest{}, &DamagedError{File: want.Name, Reason: fmt.Sprintf("%d bytes, the manifest says %d", got.Size, want.Size)}
		case got.SHA256 != want.SHA256:
			return Manifest{}, &DamagedError{File: want.Name, Reason: "SHA-256 does not match the manifest"}
		}
	}
	var extra []string
	for name := range seen {
		if !listed[name] {
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return Manifest{}, &DamagedError{File: extra[0], Reason: "in the archive but not in its manifest"}
	}
	return *m, nil
}

// hashEntry reads an entry to its end, returning its size and SHA-256; a
// read error (a damaged gzip stream, a short file) names the entry.
func hashEntry(h *tar.Header, r io.Reader) (File, error) {
	sum := sha256.New()
	n, err := io.Copy(sum, r)
	if err != nil {
		return File{}, &DamagedError{File: h.Name, Reason: err.Error()}
	}
	return File{Name: h.Name, Size: n, SHA256: hex.EncodeToString(sum.Sum(nil))}, nil
}

// Extract writes every file of a verified archive where dest says (nil
// error, "" path: skip it), 0600 in directories made 0700, checking each
// checksum again as it writes (the file could have changed since Verify).
// It returns the files it wrote, for the caller to remove on failure.
func Extract(ctx context.Context, in string, m Manifest, dest func(name string) (string, error), progressOut io.Writer) ([]string, error) {
	want := map[string]File{}
	for _, f := range m.Files {
		want[f.Name] = f
	}
	a, err := openArchive(in, "restore", progressOut)
	if err != nil {
		return nil, err
	}
	defer a.close()
	var written []string
	err = a.each(ctx, func(h *tar.Header, r io.Reader) error {
		if h.Name == ManifestName {
			return nil
		}
		f, ok := want[h.Name]
		if !ok {
			return &DamagedError{File: h.Name, Reason: "in the archive but not in its manifest"}
		}
		path, err := dest(h.Name)
		if err != nil || path == "" {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return err
		}
		out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		written = append(written, path)
		sum := sha256.New()
		n, err := io.Copy(io.MultiWriter(out, sum), r)
		if err == nil {
			err = out.Sync()
		}
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("restore %s: %w", h.Name, err)
		}
		if n != f.Size || hex.EncodeToString(sum.Sum(nil)) != f.SHA256 {
			return &DamagedError{File: h.Name, Reason: "changed since it was verified"}
		}
		return nil
	})
	return written, err
}
