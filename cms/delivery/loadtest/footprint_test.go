//go:build load

package loadtest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"zhengwu/cms/channel"
	"zhengwu/shared/store/sqlitestore"
)

// TestFootprint is issue 16 item 7's measure: the memory and disk the
// all-in-one process holds after the 100k-item portal load. It fills a
// store with LOAD_ITEMS items (the same generator and store path as
// TestLoad), builds and starts the real binary on that data directory
// (`zhengwu serve`, every target), waits until every feed consumer has
// caught up (portal list index, search indexes), reads a few hundred items,
// lists and searches, lets the process settle, then reports PSS and RSS
// (/proc/PID/smaps_rollup, and PSS by mapping), the Go heap (the runtime's
// own metrics on /metrics) and the size of each part of the data directory.
//
// `make footprint` runs it twice in one go: in a checkout of
// FOOTPRINT_BASE (default main) and in this tree, so that before and
// after are measured on the same machine in the same run.
//
//	FOOTPRINT_LABEL  a name for the figures (default "this tree")
//	FOOTPRINT_OUT    append the figures, one tab-separated line each, to this file
//	FOOTPRINT_DATA   keep the data directory here (default a temporary one):
//	                 a second run finds the items there and skips the fill,
//	                 and its indexes, if they are kept, skip the catch-up
//	FOOTPRINT_HEAP   save the process's heap profile (--pprof) here once it
//	                 has settled, for `go tool pprof -top -inuse_space`;
//	                 "{label}" in it is FOOTPRINT_LABEL (make footprint's
//	                 before and after runs then keep one each)
//	FOOTPRINT_ARGS   more arguments for serve (e.g. --memory-limit=300MiB)
func TestFootprint(t *testing.T) {
	n, _ := strconv.Atoi(env("LOAD_ITEMS", "100000"))
	if n < 100 {
		t.Fatal("bad LOAD_ITEMS")
	}
	label := env("FOOTPRINT_LABEL", "this tree")
	dir := t.TempDir()
	data := env("FOOTPRINT_DATA", filepath.Join(dir, "data"))
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := sqlitestore.Open(filepath.Join(data, "zhengwu.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := channel.Seed(ctx, st); err != nil {
		t.Fatal(err)
	}
	Base = time.Now().UTC().Truncate(24 * time.Hour).Add(-time.Duration(n) * 10 * time.Minute)
	fill(t, st, n)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	bin := filepath.Join(dir, "zhengwu")
	build := exec.Command("go", "build", "-o", bin, "./cmd/zhengwu")
	build.Dir = repoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	addr, metrics := freeAddr(t), freeAddr(t)
	logf, err := os.Create(filepath.Join(dir, "serve.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	args := []string{"serve", "--data", data, "--addr", addr, "--metrics-addr", metrics, "--rate-limit", "0", "--log-level", "warn"}
	heapOut := strings.ReplaceAll(os.Getenv("FOOTPRINT_HEAP"), "{label}", label)
	if heapOut != "" {
		args = append(args, "--pprof")
	}
	args = append(args, strings.Fields(os.Getenv("FOOTPRINT_ARGS"))...)
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	started := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
		}
	}()
	base := "http://" + addr
	waitCaughtUp(t, "http://"+metrics+"/metrics", 30*time.Minute)
	t.Logf("%s: started and caught up on %d items in %s", label, n, time.Since(started).Round(time.Second))
	searchIndex := filepath.Join(data, "index", "search-portal")
	logResidency(t, cmd.Process.Pid, searchIndex, "the catch-up")

	// A little of what a live portal is asked: details, lists, searches.
	first := FirstPublic(n)
	for i := range 300 {
		get(t, fmt.Sprintf("%s/api/portal/v1/items/%s", base, ID(first+(i*7919)%(n-first))))
	}
	for _, ch := range []string{"news", "files", "files-general-office", "leader-wang-speeches"} {
		for page := 1; page <= 5; page++ {
			get(t, fmt.Sprintf("%s/api/portal/v1/items?channel=%s&size=20&page=%d", base, ch, page))
		}
	}
	logResidency(t, cmd.Process.Pid, searchIndex, "300 details and 20 lists")
	for _, q := range []string{"乡村振兴", "数字政府建设", "优化营商环境 合肥", "安全生产", "政务公开"} {
		get(t, base+"/api/search/v1/search?q="+url.QueryEscape(q))
		logResidency(t, cmd.Process.Pid, searchIndex, "searching "+q)
	}
	logResidency(t, cmd.Process.Pid, searchIndex, "5 searches")
	// Let the collector and the scavenger settle, and the PDF readers
	// used by the catch-up go idle (search/source: pdfIdleAfter).
	time.Sleep(50 * time.Second)

	pid := cmd.Process.Pid
	rollup := smapsRollup(t, pid)
	byMap := pssByMapping(t, pid, data)
	heap := promValues(t, "http://"+metrics+"/metrics", "go_memstats_heap_inuse_bytes", "go_memstats_heap_alloc_bytes", "go_memstats_sys_bytes",
		"go_memstats_heap_idle_bytes", "go_memstats_heap_released_bytes", "go_memstats_stack_inuse_bytes",
		"zhengwu_memory_limit_bytes", "zhengwu_memory_live_heap_bytes")
	parts := dataParts(t, data)
	for k, v := range residencyKinds(logResidency(t, pid, searchIndex, "the settling")) {
		byMap["search-portal "+k] = v
	}
	live := -1.0
	if heapOut != "" {
		// gc=1: the profile is of the live heap, and the allocated bytes
		// read right after it are what is live (no garbage awaiting the
		// collector), a steadier figure than the two above.
		saveHeapProfile(t, "http://"+metrics+"/debug/pprof/heap?gc=1", heapOut)
		live = promValues(t, "http://"+metrics+"/metrics", "go_memstats_heap_alloc_bytes")["go_memstats_heap_alloc_bytes"]
	}

	var b strings.Builder
	var rows [][2]string
	row := func(name string, v float64) {
		rows = append(rows, [2]string{name, fmt.Sprintf("%.1f", v/1e6)})
		fmt.Fprintf(&b, "  %-36s %9.1f MB\n", name, v/1e6)
	}
	fmt.Fprintf(&b, "\nfootprint of %s (%d items)\n", label, n)
	row("PSS", rollup["Pss"])
	row("RSS", rollup["Rss"])
	for _, k := range sortedKeys(byMap) {
		row("PSS "+k, byMap[k])
	}
	row("Go heap in use", heap["go_memstats_heap_inuse_bytes"])
	row("Go heap live+garbage (alloc)", heap["go_memstats_heap_alloc_bytes"])
	row("Go runtime from the OS (sys)", heap["go_memstats_sys_bytes"])
	row("Go heap idle, not returned to the OS", heap["go_memstats_heap_idle_bytes"]-heap["go_memstats_heap_released_bytes"])
	row("Go stacks", heap["go_memstats_stack_inuse_bytes"])
	if live >= 0 {
		row("Go heap live (after a forced GC)", live)
	}
	// The memory governor's (shared/memlimit), where the tree has one.
	if v, ok := heap["zhengwu_memory_live_heap_bytes"]; ok {
		row("Go heap live at the last GC", v)
	}
	if v, ok := heap["zhengwu_memory_limit_bytes"]; ok {
		row("Go memory limit (0: none)", v)
	}
	var total float64
	for _, k := range sortedKeys(parts) {
		total += parts[k]
	}
	row("data", total)
	for _, k := range sortedKeys(parts) {
		row("data "+k, parts[k])
	}
	t.Log(b.String())
	if out := os.Getenv("FOOTPRINT_OUT"); out != "" {
		f, err := os.OpenFile(out, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			fmt.Fprintf(f, "%s\t%s\t%s\n", label, r[0], r[1])
		}
		f.Close()
	}
}

// saveHeapProfile fetches the heap profile (after the figures above were
// read: a profile's own allocations should not be in them).
func saveHeapProfile(t *testing.T, u, file string) {
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := io.Copy(f, resp.Body); err != nil {
		t.Fatal(err)
	}
}

// repoRoot is the directory holding go.work above the test's own (make
// footprint runs the test in an exported tree, which is no git checkout).
func repoRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.work above the test's directory")
		}
		dir = up
	}
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func get(t *testing.T, u string) {
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
}

var lagLine = regexp.MustCompile(`(?m)^zhengwu_search_feed_lag\{index="([^"]+)"\} (\S+)$`)

// mergingLine is a search index being merged after its catch-up (its disk
// then holds the old segments and the new one); older builds have none.
var mergingLine = regexp.MustCompile(`(?m)^zhengwu_search_index_merging\{index="([^"]+)"\} 1$`)

// waitCaughtUp polls /metrics until every index's feed lag is 0 and no
// search index is being merged.
func waitCaughtUp(t *testing.T, metricsURL string, limit time.Duration) {
	deadline := time.Now().Add(limit)
	last := ""
	for time.Now().Before(deadline) {
		time.Sleep(2 * time.Second)
		resp, err := http.Get(metricsURL)
		if err != nil {
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := lagLine.FindAllStringSubmatch(string(body), -1)
		behind := []string{}
		for _, l := range m {
			if l[2] != "0" {
				behind = append(behind, l[1]+"="+l[2])
			}
		}
		for _, l := range mergingLine.FindAllStringSubmatch(string(body), -1) {
			behind = append(behind, l[1]+" merging")
		}
		if len(m) > 0 && len(behind) == 0 {
			return
		}
		if s := strings.Join(behind, " "); s != last && len(behind) > 0 {
			last = s
		}
	}
	t.Fatalf("indexes did not catch up in %s: %s", limit, last)
}

// smapsRollup reads the process's totals, in bytes.
func smapsRollup(t *testing.T, pid int) map[string]float64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) == 3 && fs[2] == "kB" {
			v, _ := strconv.ParseFloat(fs[1], 64)
			out[strings.TrimSuffix(fs[0], ":")] = v * 1024
		}
	}
	return out
}

var smapsHeader = regexp.MustCompile(`^[0-9a-f]+-[0-9a-f]+ (\S+) \S+ \S+ \S+\s*(.*)$`)

// pssByMapping sums PSS by what is mapped: anonymous memory (the Go heap
// and stacks, SQLite's page cache; apart, executable code made at run
// time), the database file, each index, the rest.
func pssByMapping(t *testing.T, pid int, data string) map[string]float64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]float64{}
	key := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if m := smapsHeader.FindStringSubmatch(line); m != nil {
			key = mappingKind(strings.TrimSpace(m[2]), data)
			if key == "anonymous" && strings.Contains(m[1], "x") {
				// Code made at run time: the PDF reader's compiled PDFium.
				key = "anonymous executable"
			}
			continue
		}
		if strings.HasPrefix(line, "Pss:") {
			fs := strings.Fields(line)
			v, _ := strconv.ParseFloat(fs[1], 64)
			out[key] += v * 1024
		}
	}
	return out
}

func mappingKind(path, data string) string {
	switch {
	case path == "" || strings.HasPrefix(path, "["):
		return "anonymous"
	case strings.HasPrefix(path, data+"/index/"):
		return indexPart(strings.TrimPrefix(path, data+"/index/"))
	case strings.HasPrefix(path, data+"/zhengwu.db"):
		return "database file"
	case strings.HasPrefix(path, data):
		return "other data"
	default:
		return "program and libraries"
	}
}

// promValues reads untyped values of the named metrics without labels.
func promValues(t *testing.T, metricsURL string, names ...string) map[string]float64 {
	resp, err := http.Get(metricsURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) == 2 && slices.Contains(names, fs[0]) {
			out[fs[0]], _ = strconv.ParseFloat(fs[1], 64)
		}
	}
	return out
}

// dataParts is the disk usage of the data directory by part: the
// database (with its WAL), each index, everything else.
func dataParts(t *testing.T, data string) map[string]float64 {
	out := map[string]float64{}
	err := filepath.WalkDir(data, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		// Blocks on disk, as du counts them (an index file may be sparse).
		if st, ok := info.Sys().(*syscall.Stat_t); ok {
			out[dataPart(path, data)] += float64(st.Blocks * 512)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func dataPart(path, data string) string {
	rel, _ := filepath.Rel(data, path)
	switch {
	case strings.HasPrefix(rel, "zhengwu.db"):
		return "database"
	case strings.HasPrefix(rel, "index/"):
		return indexPart(strings.TrimPrefix(rel, "index/"))
	default:
		return "other"
	}
}

// indexPart names an index by the path under the index directory; the
// office's small indexes (nothing of the portal load is in them) are one
// line.
func indexPart(rel string) string {
	name := strings.SplitN(rel, "/", 2)[0]
	if strings.HasPrefix(name, "office-") {
		return "indexes office-*"
	}
	return "index " + name
}

func sortedKeys(m map[string]float64) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
