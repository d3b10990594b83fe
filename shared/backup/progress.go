package backup

import (
	"fmt"
	"io"
)

// progress prints one line on w, rewritten in place (\r) each time the
// percentage of bytes moves: files and bytes done of the total.
type progress struct {
	w          io.Writer
	verb       string
	files      int
	totalFiles int
	bytes      int64
	totalBytes int64
	last       int
}

func newProgress(w io.Writer, verb string, totalFiles int, totalBytes int64) *progress {
	if w == nil {
		w = io.Discard
	}
	p := &progress{w: w, verb: verb, totalFiles: totalFiles, totalBytes: totalBytes, last: -1}
	p.print()
	return p
}

func (p *progress) add(n int64) {
	p.bytes += n
	p.print()
}

func (p *progress) fileDone() {
	p.files++ // shown with the next percentage: a line per file would flood a log
}

func (p *progress) print() {
	pct := 100
	if p.totalBytes > 0 {
		pct = int(p.bytes * 100 / p.totalBytes)
	}
	if pct == p.last {
		return
	}
	p.last = pct
	files := fmt.Sprintf("%d/%d", p.files, p.totalFiles)
	if p.totalFiles < 0 { // not known until the manifest, last in the archive
		files = fmt.Sprint(p.files)
	}
	fmt.Fprintf(p.w, "\r%s: %s files, %s/%s (%d%%)", p.verb, files, size(p.bytes), size(p.totalBytes), pct)
}

func (p *progress) done() {
	p.last = -1 // the final counts, whatever the percentage
	p.print()
	fmt.Fprintln(p.w)
}

func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// countingWriter reports each write's length to the progress line.
type countingWriter struct {
	w io.Writer
	p *progress
}

func (c countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.p.add(int64(n))
	return n, err
}
