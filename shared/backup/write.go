package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Source is one file to archive: its name in the archive and where it is.
type Source struct {
	Name string
	Path string
	// MayVanish: a file deleted between listing and copying is skipped
	// (a media file removed after the snapshot was taken), not an error.
	MayVanish bool
}

// Write archives the sources into a new file at out (refusing one that
// exists), mode 0600 since it holds what the data directory holds, gzip
// when out ends in .gz or .tgz. The manifest m gets the files' sizes and
// checksums and goes last. A progress line goes to progressOut. The file
// appears at out only once complete (written beside it, then renamed).
func Write(ctx context.Context, out string, m Manifest, sources []Source, progressOut io.Writer) (Manifest, error) {
	if _, err := os.Lstat(out); !errors.Is(err, fs.ErrNotExist) {
		return m, fmt.Errorf("backup: %s exists: choose a new file name", out)
	}
	var total int64
	for _, s := range sources {
		if err := checkName(s.Name); err != nil {
			return m, err
		}
		st, err := os.Stat(s.Path)
		if err != nil {
			if s.MayVanish && errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return m, err
		}
		total += st.Size()
	}
	f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".part-*")
	if err != nil {
		return m, err
	}
	done := false
	defer func() {
		if !done {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return m, err
	}
	var w io.Writer = f
	var gz *gzip.Writer
	if strings.HasSuffix(out, ".gz") || strings.HasSuffix(out, ".tgz") {
		gz = gzip.NewWriter(f)
		w = gz
	}
	tw := tar.NewWriter(w)
	p := newProgress(progressOut, "backup", len(sources), total)
	m.Format, m.Files = Format, nil
	for _, s := range sources {
		if err := ctx.Err(); err != nil {
			return m, err
		}
		file, err := addFile(tw, s, p)
		if err != nil {
			if s.MayVanish && errors.Is(err, fs.ErrNotExist) {
				p.fileDone()
				continue
			}
			return m, fmt.Errorf("backup: %s: %w", s.Name, err)
		}
		m.Files = append(m.Files, file)
		p.fileDone()
	}
	p.done()
	body, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, err
	}
	if err := tw.WriteHeader(&tar.Header{Name: ManifestName, Mode: 0o600, Size: int64(len(body)),
		ModTime: m.CreatedAt, Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
		return m, err
	}
	if _, err := tw.Write(body); err != nil {
		return m, err
	}
	if err := tw.Close(); err != nil {
		return m, err
	}
	if gz != nil {
		if err := gz.Close(); err != nil {
			return m, err
		}
	}
	if err := f.Sync(); err != nil {
		return m, err
	}
	if err := f.Close(); err != nil {
		return m, err
	}
	if err := os.Rename(f.Name(), out); err != nil {
		return m, err
	}
	done = true
	return m, nil
}

// addFile writes one file's entry, hashing it as it goes.
func addFile(tw *tar.Writer, s Source, p *progress) (File, error) {
	src, err := os.Open(s.Path)
	if err != nil {
		return File{}, err
	}
	defer src.Close()
	st, err := src.Stat()
	if err != nil {
		return File{}, err
	}
	if !st.Mode().IsRegular() {
		return File{}, errors.New("not a regular file")
	}
	if err := tw.WriteHeader(&tar.Header{Name: s.Name, Mode: 0o600, Size: st.Size(),
		ModTime: st.ModTime().Truncate(time.Second), Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
		return File{}, err
	}
	h := sha256.New()
	n, err := io.CopyN(io.MultiWriter(tw, h, countingWriter{io.Discard, p}), src, st.Size())
	if err != nil {
		return File{}, fmt.Errorf("copied %d of %d bytes: %w", n, st.Size(), err)
	}
	return File{Name: s.Name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}
