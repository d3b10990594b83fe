package source

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
)

// Attachment kinds whose text is extracted.
const (
	KindPDF  = "pdf"
	KindDOCX = "docx"
	KindXLSX = "xlsx"
	KindTXT  = "txt"
)

// MIME types of the kinds that have one of their own.
const (
	MIMEDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	MIMEXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// Limits bound the extraction of one item's attachments.
type Limits struct {
	MaxText int   // bytes of text kept (over all attachments of an item)
	MaxFile int64 // bytes of a file read; a larger file is skipped
	// MaxWork bounds the memory one file's extraction may take beyond the
	// reader's fixed start (decoded streams, fonts, parsed pages; for a
	// DOCX, the decompressed XML); a file that needs more is over budget.
	MaxWork int64
	// Timeout bounds one file's extraction, from when a worker takes it
	// (time queued for a worker, or the PDF reader's one-time start, is
	// not counted); a file that takes longer is over budget.
	Timeout time.Duration
}

// DefaultLimits: 200 KB of text, files up to 50 MB, 64 MiB of working
// memory and 10 s per file.
var DefaultLimits = Limits{MaxText: 200 << 10, MaxFile: 50 << 20, MaxWork: 64 << 20, Timeout: 10 * time.Second}

func (l Limits) orDefaults() Limits {
	if l.MaxText <= 0 {
		l.MaxText = DefaultLimits.MaxText
	}
	if l.MaxFile <= 0 {
		l.MaxFile = DefaultLimits.MaxFile
	}
	if l.MaxWork <= 0 {
		l.MaxWork = DefaultLimits.MaxWork
	}
	if l.Timeout <= 0 {
		l.Timeout = DefaultLimits.Timeout
	}
	return l
}

// KindOf tells from the MIME type (or, failing that, the file name)
// whether an attachment is a PDF, a DOCX, an XLSX or plain text; "" for
// anything else.
func KindOf(mime, name string) string {
	switch strings.ToLower(strings.TrimSpace(strings.SplitN(mime, ";", 2)[0])) {
	case "application/pdf":
		return KindPDF
	case MIMEDOCX:
		return KindDOCX
	case MIMEXLSX:
		return KindXLSX
	case "text/plain":
		return KindTXT
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".pdf":
		return KindPDF
	case ".docx":
		return KindDOCX
	case ".xlsx":
		return KindXLSX
	case ".txt":
		return KindTXT
	}
	return ""
}

// ErrPassword: the file needs a password to be opened (a PDF with a user
// password, an encrypted workbook). A PDF protected only against editing
// or printing (an owner password) opens and is read.
var ErrPassword = errors.New("source: the attachment needs a password to open")

// ErrTooLarge: the file is larger than Limits.MaxFile.
var ErrTooLarge = errors.New("source: attachment too large to extract")

// ErrOverBudget: extracting the file needed more working memory
// (Limits.MaxWork) or time (Limits.Timeout) than allowed, as a
// decompression bomb does. The caller indexes the item without the file's
// text and reports it; zhengwu_search_extraction_total counts it.
var ErrOverBudget = errors.New("source: attachment over its extraction budget")

// Extract returns the plain text of a PDF, DOCX, XLSX or text file read from r, at most
// lim.MaxText bytes (cut at a character boundary); zero fields of lim take
// DefaultLimits. At most a few extractions run at once in the process
// (workers): ctx bounds the wait for one, and ends the extraction when it
// ends; lim.Timeout bounds the extraction itself. On error the text is "".
func Extract(ctx context.Context, kind string, r io.Reader, lim Limits) (string, error) {
	switch kind {
	case KindPDF, KindDOCX, KindXLSX, KindTXT:
	default:
		return "", fmt.Errorf("%w: %q", ErrUnsupported, kind)
	}
	text, result, err := extract(ctx, kind, r, lim.orDefaults())
	extractions.WithLabelValues(kind, result).Inc()
	if err != nil {
		return "", err
	}
	return text, nil
}

func extract(ctx context.Context, kind string, r io.Reader, lim Limits) (text, result string, err error) {
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxFile+1))
	if err != nil {
		return "", "error", err
	}
	if int64(len(data)) > lim.MaxFile {
		return "", "too_large", ErrTooLarge
	}
	w, err := takeWorker(ctx)
	if err != nil {
		return "", "cancelled", err
	}
	defer releaseWorker(w)
	if kind == KindPDF {
		if err := pdfReady(ctx); err != nil {
			return "", "error", err
		}
	}
	wctx, cancel := context.WithTimeoutCause(ctx, lim.Timeout, errTimeBudget)
	defer cancel()
	out := &textBuf{max: lim.MaxText}
	switch kind {
	case KindPDF:
		err = w.pdf.text(wctx, data, out, lim.MaxWork)
	case KindDOCX:
		err = docxText(wctx, data, out, lim.MaxWork)
	case KindXLSX:
		err = xlsxText(wctx, data, out, lim.MaxWork)
	case KindTXT:
		err = plainText(data, out)
	}
	switch {
	case err == nil || errors.Is(err, errFull):
		return out.String(), "ok", nil
	case errors.Is(err, ErrPassword):
		return "", "password", err
	case errors.Is(err, errPDFMemory) || errors.Is(err, errDOCXMemory) || errors.Is(err, errXLSXMemory):
		return "", "over_budget", fmt.Errorf("%w: %w (%d MiB)", ErrOverBudget, err, lim.MaxWork>>20)
	case ctx.Err() != nil:
		// The caller ended (or its own deadline passed): not the file's fault.
		return "", "cancelled", ctx.Err()
	case context.Cause(wctx) == errTimeBudget:
		return "", "over_budget", fmt.Errorf("%w: %w (%s)", ErrOverBudget, errTimeBudget, lim.Timeout)
	}
	return "", "error", err
}

// ErrUnsupported: the kind of file has no reader (KindOf said "").
var ErrUnsupported = errors.New("source: no text reader for this kind of file")

// errTimeBudget: the file's extraction took longer than Limits.Timeout.
var errTimeBudget = errors.New("extraction took longer than the time budget")

// worker is one of the process's extraction slots, with its PDF reader
// and when it was last released (see closeIdlePDFReaders).
type worker struct {
	pdf  pdfReader
	used time.Time
}

// workers hold the free slots: at most this many extractions run at once,
// so that memory stays within that many budgets however many items are
// published together.
var workers = func() chan *worker {
	n := min(runtime.GOMAXPROCS(0), 4)
	ch := make(chan *worker, n)
	for range n {
		ch <- &worker{}
	}
	return ch
}()

func takeWorker(ctx context.Context) (*worker, error) {
	select {
	case w := <-workers:
		return w, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func releaseWorker(w *worker) {
	w.used = time.Now()
	workers <- w
}

// extractions counts extractions by kind and result.
var extractions = prometheus.NewCounterVec(prometheus.CounterOpts{
	Name: "zhengwu_search_extraction_total",
	Help: "Attachment text extractions by kind (pdf, docx, xlsx, txt) and result (ok, error, password, too_large, over_budget, cancelled).",
}, []string{"kind", "result"})

// ExtractCollectors returns the extraction metrics, to register with a
// registry (reg.MustRegister(source.ExtractCollectors()...)). Nothing is
// registered globally; the counts are the process's.
func ExtractCollectors() []prometheus.Collector {
	return []prometheus.Collector{extractions, refusals}
}

// errFull stops an extraction once the text budget is spent.
var errFull = errors.New("text budget spent")

type textBuf struct {
	b   strings.Builder
	max int
}

func (t *textBuf) WriteString(s string) error {
	if room := t.max - t.b.Len(); len(s) > room {
		for room > 0 && !utf8.RuneStart(s[room]) {
			room--
		}
		t.b.WriteString(s[:room])
		return errFull
	}
	t.b.WriteString(s)
	return nil
}

func (t *textBuf) String() string { return t.b.String() }

// docxText reads word/document.xml: the text runs (w:t), tabs and
// paragraph ends.
func docxText(ctx context.Context, data []byte, out *textBuf, budget int64) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	var f *zip.File
	for _, zf := range zr.File {
		if zf.Name == "word/document.xml" {
			f = zf
		}
	}
	if f == nil {
		return errors.New("docx: no word/document.xml")
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	defer rc.Close()
	// The XML may decompress to far more than the file: bound what is read.
	br := &budgetReader{r: rc, left: budget + 1} // budget+1 bytes read: over
	dec := xml.NewDecoder(br)
	inText := false
	for n := 0; ; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if br.left <= 0 {
				// Cut at the budget, the XML may look broken first.
				return errDOCXMemory
			}
			return fmt.Errorf("docx: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				err = out.WriteString("\t")
			case "br", "cr":
				err = out.WriteString("\n")
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				err = out.WriteString("\n")
			}
		case xml.CharData:
			if inText {
				err = out.WriteString(string(t))
			}
		}
		if err != nil {
			return err
		}
	}
}

// errDOCXMemory: the document's XML decompresses to more than the budget.
var errDOCXMemory = errors.New("docx: the document's XML is larger than the budget")

// budgetReader reads at most left bytes, then fails with errDOCXMemory.
type budgetReader struct {
	r    io.Reader
	left int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errDOCXMemory
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}
