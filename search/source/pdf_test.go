package source

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// roomy: the default limits with time to spare on a loaded machine under
// the race detector, for tests whose subject is not the time budget.
var roomy = Limits{Timeout: time.Minute}

func extractPDF(t *testing.T, data []byte, lim Limits) (string, error) {
	t.Helper()
	return Extract(context.Background(), KindPDF, bytes.NewReader(data), lim)
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A notice as Chromium prints it (testdata/README.md): a Type0 font with
// Identity-H codes and a ToUnicode map, and Type3 fonts, over 13 pages.
func TestExtractPDFChinese(t *testing.T) {
	t.Parallel()
	text, err := extractPDF(t, fixture(t, "notice.pdf"), roomy)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"关于做好二〇二六年政务公开工作的通知", "《中华人民共和国政府信息公开条例》", "确保各项任务落到实处。", "Annual report section 12: open government information."} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in %q", want, text)
		}
	}
	// Line wraps inside Chinese text are not word breaks: 政务公开 is whole
	// in the title, in each heading and in each paragraph.
	if n := strings.Count(text, "政务公开"); n != 25 {
		t.Errorf("政务公开 %d times, want 25", n)
	}
	// Pages in order.
	last := -1
	for i := 1; i <= 12; i++ {
		at := strings.Index(text, "第"+strconv.Itoa(i)+"条")
		if at < last {
			t.Fatalf("第%d条 at %d, before the section before it (%d)", i, at, last)
		}
		last = at
	}
	if strings.ContainsAny(text, "\r\x00\uFFFD") {
		t.Errorf("stray characters in %q", text)
	}
}

// Chinese text in the encodings office PDFs use: Identity-H codes with a
// ToUnicode map, and, without one, the predefined Adobe-GB1 CMaps
// (UCS-2 and GBK codes) that a reader must know itself.
func TestExtractPDFChineseEncodings(t *testing.T) {
	t.Parallel()
	show := func(hex, encoding string) []byte {
		objs := onePage("4 0 R", "/F3 5 0 R")
		return pdfDoc(append(objs, stream("", []byte("BT /F3 12 Tf 72 712 Td <"+hex+"> Tj ET")), cidFont(encoding, "GB1", ""))...)
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"Identity-H with ToUnicode", pdf(t), "Annual report (draft)\n政务公"},
		{"UniGB-UCS2-H", show("653f52a1516c5f00", "UniGB-UCS2-H"), "政务公开"},
		{"GBK-EUC-H", show("d5fecef1b9abbfaa", "GBK-EUC-H"), "政务公开"},
	} {
		text, err := extractPDF(t, c.data, roomy)
		if err != nil || text != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, text, err, c.want)
		}
	}
}

// Text comes in page order (the page tree's), not in the order the
// objects happen to be written in the file.
func TestExtractPDFPageOrder(t *testing.T) {
	t.Parallel()
	page := func(contents string) string {
		return "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents " + contents + " >>"
	}
	show := func(s string) string { return stream("", []byte("BT /F1 12 Tf 72 712 Td ("+s+") Tj ET")) }
	data := pdfDoc(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [8 0 R 6 0 R 4 0 R] /Count 3 >>",
		helvetica,
		page("5 0 R"), show("third page"),
		page("7 0 R"), show("second page"),
		page("9 0 R"), show("first page"),
	)
	text, err := extractPDF(t, data, roomy)
	if err != nil || text != "first page\nsecond page\nthird page" {
		t.Fatalf("%q, %v", text, err)
	}
}

// Government PDFs are often encrypted against editing but open without a
// password (an empty user password): RC4, AES-128 and AES-256 alike.
func TestExtractPDFEncrypted(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"brief-rc4.pdf", "brief-aes128.pdf", "brief-aes256.pdf"} {
		text, err := extractPDF(t, fixture(t, name), roomy)
		if err != nil || !strings.Contains(text, "关于印发政务公开工作要点的通知") || !strings.Contains(text, "Open government 2026") {
			t.Errorf("%s: %q, %v", name, text, err)
		}
	}
	// One that needs a password cannot be read: an error, not over budget.
	_, err := extractPDF(t, fixture(t, "brief-password.pdf"), roomy)
	if !errors.Is(err, ErrPassword) || errors.Is(err, ErrOverBudget) {
		t.Fatalf("password-protected file: %v", err)
	}
}

// warmWorkers starts the PDF reader of every worker, so that what a test
// measures is one extraction, not the one-time start; it returns the
// reader's start memory (the module's initial WebAssembly memory).
func warmWorkers(t *testing.T) uint64 {
	t.Helper()
	var ws []*worker
	for range cap(workers) {
		ws = append(ws, <-workers)
	}
	defer func() {
		for _, w := range ws {
			releaseWorker(w)
		}
	}()
	if err := pdfReady(context.Background()); err != nil {
		t.Fatal(err)
	}
	var start uint64
	for _, w := range ws {
		out := &textBuf{max: 1 << 10}
		if err := w.pdf.text(context.Background(), pdf(t), out, DefaultLimits.MaxWork); err != nil {
			t.Fatal(err)
		}
		start = w.pdf.mem.Load().start
	}
	if start == 0 {
		t.Fatal("no start memory recorded")
	}
	return start
}

// allocated runs f and returns how many bytes the Go heap allocated
// meanwhile (TotalAlloc): a bound on how much f raised the heap.
func allocated(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Decompression bombs (a few KB or 1 MB that inflate to 1 GiB) end with
// ErrOverBudget, quickly, having raised the heap by about the budget —
// not by the gigabyte (the old extractor kept 16 MiB of every stream).
func TestExtractPDFBombs(t *testing.T) {
	start := warmWorkers(t)
	lim := Limits{MaxWork: 32 << 20, Timeout: 5 * time.Second}
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"one stream named 1,024 times", bombByReference(t)},
		{"a stream compressed twice", bombByFilterChain(t)},
		{"64 streams of 16 MiB", bombByManyStreams(t)},
	} {
		var err error
		var took time.Duration
		overBudget := testutil.ToFloat64(extractions.WithLabelValues(KindPDF, "over_budget"))
		heap := allocated(func() {
			began := time.Now()
			_, err = extractPDF(t, c.data, lim)
			took = time.Since(began)
		})
		if !errors.Is(err, ErrOverBudget) {
			t.Errorf("%s (%d KB): %v, want ErrOverBudget", c.name, len(c.data)>>10, err)
		}
		if took > lim.Timeout+time.Second {
			t.Errorf("%s: took %s, budget %s", c.name, took, lim.Timeout)
		}
		// The reader's memory grows by doubling up to start+MaxWork: all
		// it allocates adds up to under twice that.
		bound := 2*(start+uint64(lim.MaxWork)) + uint64(len(c.data)) + 16<<20
		if heap > bound {
			t.Errorf("%s: the heap took %d MiB, bound %d MiB", c.name, heap>>20, bound>>20)
		}
		if got := testutil.ToFloat64(extractions.WithLabelValues(KindPDF, "over_budget")); got != overBudget+1 {
			t.Errorf("%s: over_budget counter %v, was %v", c.name, got, overBudget)
		}
		t.Logf("%s (%d KB): %v in %s, heap +%d MiB", c.name, len(c.data)>>10, err, took.Round(time.Millisecond), heap>>20)
	}
}

// A file that keeps the reader busy is stopped when its time is up, in
// the middle of PDFium's work (the WebAssembly instance is closed under
// it), and reported as over budget.
func TestExtractPDFTimeBudget(t *testing.T) {
	warmWorkers(t)
	// 32 MiB of transformations on one page: seconds of parsing, from a
	// 3 KB file, within the memory budget.
	busy := []byte(strings.Repeat("1 0 0 1 0 0 cm\n", (1<<20)/15))
	data := pdfDoc(append(onePage("["+strings.Repeat("4 0 R ", 32)+"]", "/F1 5 0 R"), flateStream(t, busy), helvetica)...)
	lim := Limits{MaxWork: 128 << 20, Timeout: 300 * time.Millisecond}
	began := time.Now()
	_, err := extractPDF(t, data, lim)
	took := time.Since(began)
	if !errors.Is(err, ErrOverBudget) || !errors.Is(err, errTimeBudget) {
		t.Fatalf("%v, want ErrOverBudget (time)", err)
	}
	if took > 3*time.Second {
		t.Fatalf("stopped after %s, budget %s", took, lim.Timeout)
	}
	// The worker is whole again.
	if text, err := extractPDF(t, pdf(t), roomy); err != nil || !strings.Contains(text, "政务公") {
		t.Fatalf("after a stopped file: %q, %v", text, err)
	}
}

// Broken and hostile structure: an error or the text that can be read,
// never a panic, a crash or a hang.
func TestExtractPDFHostile(t *testing.T) {
	t.Parallel()
	notice := fixture(t, "notice.pdf")
	shown := stream("", []byte("BT /F1 12 Tf 72 712 Td (readable page) Tj ET"))
	garbage := make([]byte, 64<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range garbage {
		garbage[i] = byte(rng.Uint32())
	}
	copy(garbage, "%PDF-1.7\n")
	for _, c := range []struct {
		name string
		data []byte
		want string // "" for an error
	}{
		{"page tree loop", pdfDoc(
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
			shown, helvetica), "readable page"},
		{"reference loop", pdfDoc(append(onePage("4 0 R", "/F1 6 0 R"), "5 0 R", "4 0 R", helvetica)...), "-"},
		{"deep nesting", pdfDoc(append(onePage("4 0 R", "/F1 5 0 R /X "+strings.Repeat("[", 1<<18)+strings.Repeat("]", 1<<18)), shown, helvetica)...), "readable page"},
		{"truncated", notice[:len(notice)/2], ""},
		{"header only", notice[:200], ""},
		{"garbage after a header", garbage, ""},
		{"no objects", []byte("%PDF-1.7\nno streams at all"), ""},
		{"not a PDF", []byte("<html>not a pdf</html>"), ""},
	} {
		began := time.Now()
		text, err := extractPDF(t, c.data, roomy)
		switch {
		case time.Since(began) > roomy.Timeout+time.Second:
			t.Errorf("%s: took %s", c.name, time.Since(began))
		case c.want == "" && err == nil:
			t.Errorf("%s: no error (text %q)", c.name, text)
		case c.want == "-":
			// Either outcome is fine: it returned.
		case c.want != "" && (err != nil || !strings.Contains(text, c.want)):
			t.Errorf("%s: %q, %v; want %q", c.name, text, err, c.want)
		}
	}
}

// No more than cap(workers) extractions run at once: with every worker
// busy, an extraction waits, and gives up with its context.
func TestExtractWaitsForAWorker(t *testing.T) {
	var ws []*worker
	for range cap(workers) {
		ws = append(ws, <-workers)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := Extract(ctx, KindDOCX, bytes.NewReader(docx(t, "等待")), DefaultLimits)
	for _, w := range ws {
		releaseWorker(w)
	}
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrOverBudget) {
		t.Fatalf("with every worker busy: %v", err)
	}
	if text, err := Extract(context.Background(), KindDOCX, bytes.NewReader(docx(t, "等待")), DefaultLimits); err != nil || !strings.HasPrefix(text, "等待") {
		t.Fatalf("with a worker free: %q, %v", text, err)
	}
}

// The compiled reader is cached under the versions that compiled it: they
// must be the ones go.mod requires.
func TestPDFModulesInGoMod(t *testing.T) {
	t.Parallel()
	mod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range strings.Split(pdfiumModules, ",") {
		path, version, _ := strings.Cut(m, "@")
		path = map[string]string{"go-pdfium": "github.com/klippa-app/go-pdfium", "wazero": "github.com/tetratelabs/wazero"}[path]
		if !strings.Contains(string(mod), "\t"+path+" "+version+"\n") {
			t.Errorf("go.mod does not require %s %s: update pdfiumModules", path, version)
		}
	}
}

// BenchmarkExtractPDF: the 13-page notice, from its bytes to its text.
func BenchmarkExtractPDF(b *testing.B) {
	data := fixture(b, "notice.pdf")
	if err := StartPDFReader(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Extract(context.Background(), KindPDF, bytes.NewReader(data), DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}

// A PDF reader unused for pdfIdleAfter gives back its compiled PDFium
// (≈ 21 MB of executable memory per worker), and the next file starts a
// new one.
func TestIdlePDFReadersClosed(t *testing.T) {
	if _, err := extractPDF(t, fixture(t, "notice.pdf"), roomy); err != nil {
		t.Fatal(err)
	}
	before := executablePSS(t)
	if before < 10<<20 {
		t.Fatalf("executable memory after a PDF read: %d bytes, want the compiled reader's ≥ 10 MB", before)
	}
	closeIdlePDFReaders(time.Now().Add(pdfIdleAfter))
	// wazero unmaps machine code in a finalizer: after a collection.
	if after := waitExecutableBelow(t, before-10<<20); after > before-10<<20 {
		t.Errorf("executable memory %d → %d bytes after closing idle readers: nothing given back", before, after)
	}
	for range cap(workers) {
		w := <-workers
		if w.pdf.pool != nil {
			t.Errorf("a free worker's reader is still open")
		}
		workers <- w
	}
	text, err := extractPDF(t, fixture(t, "notice.pdf"), roomy)
	if err != nil || !strings.Contains(text, "关于做好二〇二六年政务公开工作的通知") {
		t.Fatalf("read after closing: %q, %v", text[:min(len(text), 80)], err)
	}

	// The reader a server loads at start (StartPDFReader) goes too when
	// no PDF came: closed with no pool ever opened.
	closeIdlePDFReaders(time.Now().Add(pdfIdleAfter))
	waitExecutableBelow(t, executablePSS(t)+1<<20)
	if err := StartPDFReader(context.Background()); err != nil {
		t.Fatal(err)
	}
	loaded := executablePSS(t)
	closeIdlePDFReaders(time.Now().Add(pdfIdleAfter))
	if after := waitExecutableBelow(t, loaded-10<<20); after > loaded-10<<20 {
		t.Errorf("executable memory %d → %d bytes: the reader loaded at start stayed", loaded, after)
	}
}

// waitExecutableBelow collects garbage until executablePSS is at most
// limit (wazero unmaps in finalizers) or 10 s pass, and returns it.
func waitExecutableBelow(t *testing.T, limit int64) int64 {
	after := executablePSS(t)
	for deadline := time.Now().Add(10 * time.Second); after > limit && time.Now().Before(deadline); {
		runtime.GC()
		time.Sleep(50 * time.Millisecond)
		after = executablePSS(t)
	}
	return after
}

// executablePSS is the process's anonymous executable memory (code made at
// run time: the compiled PDF reader), from /proc/self/smaps.
func executablePSS(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	var sum int64
	exec := false
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		if len(f) >= 5 && strings.Contains(f[0], "-") && len(f[1]) == 4 {
			exec = f[1][2] == 'x' && len(f) == 5 // no path: anonymous
			continue
		}
		if exec && len(f) == 3 && f[0] == "Pss:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			sum += kb << 10
		}
	}
	return sum
}

// BenchmarkExtractPDFReopened is what a PDF costs when its reader was
// closed for idleness (reopened from the disk cache) beside one whose
// reader is open.
func BenchmarkExtractPDFReopened(b *testing.B) {
	data, err := os.ReadFile("testdata/notice.pdf")
	if err != nil {
		b.Fatal(err)
	}
	read := func() {
		if _, err := Extract(context.Background(), KindPDF, bytes.NewReader(data), roomy); err != nil {
			b.Fatal(err)
		}
	}
	read()
	b.Run("open", func(b *testing.B) {
		for b.Loop() {
			read()
		}
	})
	b.Run("reopened", func(b *testing.B) {
		for b.Loop() {
			closeIdlePDFReaders(time.Now().Add(pdfIdleAfter))
			read()
		}
	})
}
