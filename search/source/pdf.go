package source

// PDF text is read by PDFium, Chromium's PDF library, compiled to
// WebAssembly and run in-process by wazero (github.com/klippa-app/go-pdfium,
// webassembly mode; no cgo, the binary stays one Go binary). Chosen over
// the pure-Go readers (ledongthuc/pdf, a fork of rsc.io/pdf: no AES-256,
// no predefined CMaps; pdfcpu: not an approved release here) because:
//   - Chinese: PDFium maps CID fonts through ToUnicode maps and, for files
//     without them, through the predefined Adobe-GB1 CMaps (UniGB-UCS2-H,
//     GBK-EUC-H, …); it opens RC4, AES-128 and AES-256 files with an empty
//     user password, and follows the page tree (text in page order);
//   - hostile files: the reader runs in a WebAssembly sandbox whose memory
//     we allocate (linearMemory: a hard cap, so a decompression bomb ends in
//     a refused allocation, not in the process's heap), which is stopped
//     when its time is up (wazero's CloseOnContextDone: no abandoned
//     goroutine keeps running), and where a crash or a runaway recursion is
//     a trap, not a dead process (in a Go parser, a stack overflow is
//     fatal and a panic must be caught everywhere);
//   - PDFium is fuzzed continuously and maintained with Chrome.
//
// The costs: about 14 MB more binary (the 6 MB module and wazero); the
// first PDF read on a machine compiles the module (≈ 3.5 s, ≈ 300 MB of
// transient heap; ≈ 30 s under the race detector), kept in the user's
// cache directory for the next processes (compilationCache); each file
// then gets a fresh instance (≈ 10 ms, 18 MiB of start memory), so nothing
// of one file outlives it; text comes at ≈ 6 ms a page (a 13-page notice:
// ≈ 80 ms, where the regular expressions took ≈ 8 ms and got it wrong).

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/klippa-app/go-pdfium"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// pdfEngine holds what all PDF readers of the process share: the module,
// compiled once into a compilation cache. wazero runs every pool made
// with that cache on one engine, which keeps the machine code for as long
// as the cache is open (see closeIdlePDFReaders).
var pdfEngine struct {
	mu     sync.Mutex
	ready  chan struct{} // nil until started and after a close; closed when the fields below are set
	cache  wazero.CompilationCache
	onDisk bool // the cache is kept in a directory: reopening it is cheap
	err    error
}

// StartPDFReader prepares the PDF reader now rather than at the first PDF
// extraction, and waits until it is ready or ctx ends. The first start on
// a machine compiles PDFium (≈ 3.5 s; ≈ 30 s under the race detector);
// later ones load it from the cache (≈ 0.1 s). A server may call it in the
// background at start; a test calls it before waiting on a deadline for an
// index that extracts PDFs.
func StartPDFReader(ctx context.Context) error { return pdfReady(ctx) }

// pdfReady compiles the PDFium module on first use (in the background,
// so that a caller whose ctx ends stops waiting without spoiling the
// compilation for the next one) and waits for it.
func pdfReady(ctx context.Context) error {
	pdfEngine.mu.Lock()
	ready := pdfEngine.ready
	if ready == nil {
		// The engine loaded at start (StartPDFReader) is unloaded too
		// when no PDF comes: a portal without attachments held it for good.
		idleJanitor.Do(func() { go closeIdlePDFReadersEvery(pdfIdleAfter / 2) })
		ready = make(chan struct{})
		pdfEngine.ready = ready
		go func() {
			defer close(ready)
			cache, onDisk := compilationCache()
			// A pool (with no instance yet) compiles the module into the
			// cache; the readers' pools then find it there.
			var err error
			if pool, perr := newPDFPool(context.Background(), cache); perr != nil {
				err = fmt.Errorf("pdf: cannot start the PDF reader: %w", perr)
			} else {
				pool.Close()
			}
			pdfEngine.mu.Lock()
			pdfEngine.cache, pdfEngine.onDisk, pdfEngine.err = cache, onDisk, err
			pdfEngine.mu.Unlock()
		}()
	}
	pdfEngine.mu.Unlock()
	select {
	case <-ready:
		pdfEngine.mu.Lock()
		defer pdfEngine.mu.Unlock()
		return pdfEngine.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// closePDFEngine closes the compilation cache, which unmaps the compiled
// module, when it is kept on disk (a cache in memory would have to compile
// it again: seconds). Called with every worker in hand, so no reader runs.
func closePDFEngine() {
	pdfEngine.mu.Lock()
	defer pdfEngine.mu.Unlock()
	if pdfEngine.ready == nil || pdfEngine.cache == nil || !pdfEngine.onDisk {
		return
	}
	select {
	case <-pdfEngine.ready:
	default:
		return // still starting
	}
	_ = pdfEngine.cache.Close(context.Background())
	pdfEngine.ready, pdfEngine.cache, pdfEngine.err = nil, nil, nil
	// wazero unmaps machine code in finalizers: a collection now gives it
	// back at once, where an idle process might wait minutes for one. Once
	// per idle spell, so its cost (a few ms of marking) does not matter.
	runtime.GC()
}

// currentPDFCache is the open compilation cache (nil before pdfReady).
func currentPDFCache() wazero.CompilationCache {
	pdfEngine.mu.Lock()
	defer pdfEngine.mu.Unlock()
	return pdfEngine.cache
}

// compilationCache keeps the compiled reader in the user's cache
// directory (as the go command keeps its build cache there), so that a
// process after the first starts reading PDFs in ≈ 0.1 s instead of
// ≈ 3.5 s (≈ 0.5 s instead of ≈ 30 s under the race detector). wazero
// writes each entry atomically. The process runs the code it finds there,
// so the directory must be this user's alone: one that others can write
// to is not used. Without it the module is compiled in memory, by each
// process.
func compilationCache() (c wazero.CompilationCache, onDisk bool) {
	if base, err := os.UserCacheDir(); err == nil {
		dir := filepath.Join(base, "zhengwu", "pdfium", pdfiumModules)
		if err := os.MkdirAll(dir, 0o700); err == nil {
			if fi, err := os.Stat(dir); err == nil && fi.Mode().Perm()&0o022 == 0 {
				if c, err := wazero.NewCompilationCacheWithDir(dir); err == nil {
					return c, true
				}
			}
		}
	}
	return wazero.NewCompilationCache(), false
}

// pdfiumModules names the reader's module versions in the cache's path,
// so that code compiled by another wazero is never loaded: wazero keys
// its cache by its own version, which test binaries do not carry (they
// all say "dev"). TestPDFModulesInGoMod keeps it true to go.mod.
const pdfiumModules = "go-pdfium@v1.21.5,wazero@v1.12.0"

// newPDFPool makes a go-pdfium pool of one instance at a time, with
// nothing of the host's file system visible and PDFium's own messages
// dropped. ctx carries the memory allocator of its instances.
func newPDFPool(ctx context.Context, cache wazero.CompilationCache) (pdfium.Pool, error) {
	rc := wazero.NewRuntimeConfig().
		// The module lowers setjmp/longjmp to exception handling.
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		WithCloseOnContextDone(true).
		WithCompilationCache(cache)
	return webassembly.Init(webassembly.Config{
		Context:       ctx,
		MinIdle:       0,
		MaxIdle:       0,
		MaxTotal:      1,
		RuntimeConfig: rc,
		FSConfig:      wazero.NewFSConfig(),
		Stdout:        io.Discard,
		Stderr:        io.Discard,
	})
}

// pdfReader is one worker's PDF reader: its own pool, so that the memory
// allocated to the one instance it runs at a time is known (mem), and so
// that ending its context (halt) stops that instance alone.
type pdfReader struct {
	pool   pdfium.Pool
	halt   context.CancelFunc           // ends the pool's context
	budget atomic.Int64                 // for the next instance's memory
	mem    atomic.Pointer[linearMemory] // the current instance's memory
}

func (r *pdfReader) start() error {
	if r.pool != nil {
		return nil
	}
	ctx, halt := context.WithCancel(context.Background())
	ctx = experimental.WithMemoryAllocator(ctx,
		experimental.MemoryAllocatorFunc(func(_, _ uint64) experimental.LinearMemory {
			m := &linearMemory{budget: uint64(r.budget.Load())}
			r.mem.Store(m)
			return m
		}))
	pool, err := newPDFPool(ctx, currentPDFCache())
	if err != nil {
		halt()
		return fmt.Errorf("pdf: cannot start the PDF reader: %w", err)
	}
	r.pool, r.halt = pool, halt
	return nil
}

// close ends the reader's pool, which unmaps its compiled PDFium; the next
// file starts a new one.
func (r *pdfReader) close() {
	if r.pool == nil {
		return
	}
	r.pool.Close()
	r.halt()
	r.pool, r.halt = nil, nil
}

// A reader's pool holds PDFium compiled to machine code, ≈ 21 MB of the
// process's memory per worker that has read a PDF, for as long as it
// lives: after a catch-up that read attachments, two to four copies stayed
// for good while the portal went on serving (issue 16 item 7). A pool
// unused for pdfIdleAfter is closed. The first file after that pays for
// reopening from the disk cache: BenchmarkExtractPDFReopened, a 13-page
// notice, 731 ms reopened vs 117 ms open (load ≈ 12) — once per idle
// spell, on the search feed's background path, never in a request.
var (
	pdfIdleAfter = 30 * time.Second
	idleJanitor  sync.Once
)

func closeIdlePDFReadersEvery(every time.Duration) {
	for now := range time.Tick(every) {
		closeIdlePDFReaders(now)
	}
}

// closeIdlePDFReaders closes the PDF readers of the free workers unused
// since pdfIdleAfter before now. A worker taken from the channel is in no
// one else's hands, so its reader may be closed; a busy one is not seen.
// Extractions wait for the workers held meanwhile (microseconds; a pool's
// close, milliseconds).
// With every worker free and idle, the shared engine's machine code goes
// too (closePDFEngine).
func closeIdlePDFReaders(now time.Time) {
	held := make([]*worker, 0, cap(workers))
	defer func() {
		for _, w := range held {
			workers <- w
		}
	}()
	idle := 0
	for range cap(workers) {
		select {
		case w := <-workers:
			held = append(held, w)
			if now.Sub(w.used) >= pdfIdleAfter {
				w.pdf.close()
				idle++
			}
		default:
		}
	}
	if idle == cap(workers) {
		closePDFEngine()
	}
}

// linearMemory backs one PDFium instance's WebAssembly memory: the module's
// start size plus at most budget bytes. Past that, growing fails: PDFium
// then aborts (a trap), and refused tells that the file was over budget.
// It grows by doubling, and past half the limit straight to the limit, so
// that while it is copied the process holds at most 1.5 × the limit.
type linearMemory struct {
	budget  uint64
	start   uint64
	buf     []byte
	refused atomic.Bool
}

func (m *linearMemory) Reallocate(size uint64) []byte {
	if m.buf == nil {
		m.start = size
		m.buf = make([]byte, size)
		return m.buf
	}
	if size > m.start+m.budget {
		m.refused.Store(true)
		return nil
	}
	if size > uint64(cap(m.buf)) {
		limit := m.start + m.budget
		c := max(size, 2*uint64(cap(m.buf)))
		if c > limit/2 {
			c = limit
		}
		grown := make([]byte, size, c)
		copy(grown, m.buf)
		m.buf = grown
	}
	m.buf = m.buf[:size]
	return m.buf
}

func (m *linearMemory) Free() { m.buf = nil }

// errPDFMemory: the file needed more than the memory budget.
var errPDFMemory = errors.New("pdf: the reader needed more memory than the budget")

// text writes the text of the PDF in data to out, page by page in page
// order, within budget bytes of the reader's working memory; ctx's end
// stops the reader at once.
func (r *pdfReader) text(ctx context.Context, data []byte, out *textBuf, budget int64) error {
	if !bytes.HasPrefix(bytes.TrimLeft(data[:min(len(data), 1024)], "\x00\t\r\n\f "), []byte("%PDF-")) {
		return errors.New("pdf: not a PDF file")
	}
	if err := r.start(); err != nil {
		return err
	}
	r.budget.Store(budget)
	inst, err := r.pool.GetInstanceWithContext(ctx)
	if err != nil {
		return err
	}
	mem := r.mem.Load()
	// At ctx's end the pool's context ends too: wazero then stops the
	// running call (CloseOnContextDone), which returns an error. The
	// instance is dropped only after that, here: closing it under a running
	// call would free its memory while the call still uses it.
	stop := context.AfterFunc(ctx, r.halt)
	err = pdfPages(ctx, inst, data, out)
	halted := !stop()
	// Each file has a fresh instance: this one is dropped without running
	// PDFium's clean-up, which after a failure could itself go wrong.
	inst.Kill()
	if halted {
		// Its pool's context has ended: the next file starts a new pool
		// (from the compiled module: milliseconds).
		r.close()
	}
	switch {
	case err == nil || errors.Is(err, errFull):
		return err
	case mem != nil && mem.refused.Load():
		return errPDFMemory
	case ctx.Err() != nil:
		return ctx.Err()
	}
	return err
}

// pdfPages opens the document (with the empty user password, as a reader
// opens a file protected only against editing) and writes each page's
// text to out. A page PDFium cannot load is skipped.
func pdfPages(ctx context.Context, inst pdfium.Pdfium, data []byte, out *textBuf) error {
	doc, err := inst.OpenDocument(&requests.OpenDocument{FileReader: bytes.NewReader(data), FileReaderSize: int64(len(data))})
	if err != nil {
		if errors.Is(err, pdfiumerrors.ErrPassword) {
			return fmt.Errorf("pdf: %w", ErrPassword)
		}
		return fmt.Errorf("pdf: %w", err)
	}
	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	for i := 0; i < count.PageCount; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		text, err := pageText(inst, doc.Document, i)
		if errors.Is(err, pdfiumerrors.ErrPage) || errors.Is(err, errNoTextPage) {
			continue
		}
		if err != nil {
			return fmt.Errorf("pdf: page %d: %w", i+1, err)
		}
		if i > 0 {
			if err := out.WriteString("\n"); err != nil {
				return err
			}
		}
		if err := out.WriteString(text); err != nil {
			return err
		}
	}
	return nil
}

var errNoTextPage = errors.New("pdf: no text page")

func pageText(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, index int) (string, error) {
	page, err := inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: doc, Index: index})
	if err != nil {
		return "", err
	}
	defer inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: page.Page})
	tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: requests.Page{ByReference: &page.Page}})
	if err != nil {
		if strings.Contains(err.Error(), "could not load text page") {
			return "", errNoTextPage
		}
		return "", err
	}
	defer inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
	n, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil || n.Count <= 0 {
		return "", err
	}
	t, err := inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp.TextPage, StartIndex: 0, Count: n.Count})
	if err != nil {
		return "", err
	}
	return tidyText(t.Text), nil
}

// tidyText turns PDFium's page text into index text: line ends as "\n",
// control characters dropped, and a line break between two Chinese
// characters removed — it is where the line wrapped, not a word boundary,
// and left in place it would split words such as 政务|公开 for search.
func tidyText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r == '\n':
			if i > 0 && i+1 < len(rs) && isCJK(rs[i-1]) && isCJK(rs[i+1]) {
				continue
			}
		case r == '\r':
			r = '\n'
		case r == '\t':
		case unicode.IsControl(r), r == '\uFFFE', r == '\uFFFF':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isCJK: Han characters and the CJK and full-width punctuation that
// Chinese text runs through without spaces.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) ||
		(r >= 0x3000 && r <= 0x303F) || // CJK symbols and punctuation
		(r >= 0xFF00 && r <= 0xFFEF) // full-width forms
}
