//go:build load

package mixedload

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// password is the demo accounts' password for the harness's own server.
const password = "Zw-Load-Demo-2026!"

// server is one `zhengwu serve --demo` child process.
type server struct {
	cmd     *exec.Cmd
	log     string // its stdout and stderr
	base    string // http://host:port
	metrics string // http://host:port/metrics
	data    string
}

// freePort answers the first port of [from, from+n) that accepts a
// listener (the harness's ports are 7601–7609 on the shared machine).
func freePort(t *testing.T, from, n int) int {
	t.Helper()
	for p := from; p < from+n; p++ {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err == nil {
			_ = l.Close()
			return p
		}
	}
	t.Fatalf("no free port in %d–%d", from, from+n-1)
	return 0
}

// buildBinary builds cmd/zhengwu once per test into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("ZHENGWU_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "zhengwu")
	if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// startServer starts the binary with demo data on a fresh data directory,
// unlimited request rate (the harness is one client address) and its
// metrics on a second port, and waits until /readyz answers.
func startServer(t *testing.T, bin string, port, metricsPort int) *server {
	t.Helper()
	data := t.TempDir()
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	maddr := fmt.Sprintf("127.0.0.1:%d", metricsPort)
	args := []string{"serve", "--demo", "--data", data, "--addr", addr, "--metrics-addr", maddr,
		"--rate-limit", "0", "--log-level", "warn"}
	// SOAK_RECONCILE: reconcile the search indexes this often (default
	// the server's 10m), so that a short soak sees passes too.
	if every := os.Getenv("SOAK_RECONCILE"); every != "" {
		args = append(args, "--search-reconcile-interval", every)
	}
	// SOAK_PPROF: serve Go's profiles on the metrics address, so that a
	// soak can save heap profiles (see TestSoak).
	if os.Getenv("SOAK_PPROF") != "" {
		args = append(args, "--pprof")
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "ZHENGWU_DEMO_PASSWORD="+password)
	logf, err := os.Create(filepath.Join(t.TempDir(), "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, log: logf.Name(), base: "http://" + addr, metrics: "http://" + maddr + "/metrics", data: data}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _, _ = cmd.Process.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		_ = logf.Close()
		if keep := os.Getenv("SERVER_LOG"); keep != "" {
			if b, err := os.ReadFile(logf.Name()); err == nil {
				_ = os.WriteFile(keep, b, 0o644)
			}
		}
		if t.Failed() {
			if b, err := os.ReadFile(logf.Name()); err == nil {
				t.Logf("server log (tail):\n%s", tail(b, 4000))
			}
		}
	})
	deadline := time.Now().Add(3 * time.Minute) // the demo seeds on first start
	for time.Now().Before(deadline) {
		if resp, err := http.Get(s.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
		if cmd.ProcessState != nil {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("server at %s never became ready", s.base)
	return nil
}

// logProblems answers the server's log lines at level ERROR, and the
// index repairs of the periodic reconciliation (each is a feed entry an
// index missed: a gap the workload caused and reconciliation papered over).
func (s *server) logProblems() []string {
	b, err := os.ReadFile(s.log)
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	for line := range strings.Lines(string(b)) {
		if strings.Contains(line, "level=ERROR") || strings.Contains(line, "reconciliation repaired") {
			out = append(out, strings.TrimSpace(line))
		}
	}
	return out
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// sample is what the soak records of the server every interval.
type sample struct {
	At       time.Duration // since the soak began
	RSS, PSS int64         // bytes, /proc/PID/smaps_rollup
	AnonPSS  int64         // PSS of anonymous memory: the process's own (heap, stacks, SQLite's cache)
	FilePSS  int64         // PSS of mapped files: the binary, the database and index files (the kernel's cache)
	LiveHeap int64         // the heap live at the last GC: zhengwu_memory_live_heap_bytes
	// HeapHeld is the Go heap's pages and the goroutine stacks the
	// runtime holds (go_memstats_heap_sys − heap_released + stack_sys):
	// the live heap, its garbage and its headroom. AnonPSS − HeapHeld is
	// the rest: the runtime's own structures, and SQLite's page caches
	// and statements, which the pure-Go driver's allocator maps outside
	// the Go heap (no heap profile sees them).
	HeapHeld   int64
	Goroutines int64
	FDs        int64 // entries of /proc/PID/fd
	DataBytes  int64 // the data directory, every file
}

func (s *server) sample(at time.Duration) (sample, error) {
	out := sample{At: at}
	pid := s.cmd.Process.Pid
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return out, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "Rss:":
			out.RSS = kb << 10
		case "Pss:":
			out.PSS = kb << 10
		case "Pss_Anon:":
			out.AnonPSS = kb << 10
		case "Pss_File:":
			out.FilePSS = kb << 10
		}
	}
	// The metrics right after the memory map, so that AnonPSS − HeapHeld
	// compares two readings of the same moment, as near as two reads go.
	// Not next_gc/2: under the memory governor the collector's goal is
	// the limit, not twice what is live.
	m, err := s.scrape("go_goroutines", "zhengwu_memory_live_heap_bytes",
		"go_memstats_heap_sys_bytes", "go_memstats_heap_released_bytes", "go_memstats_stack_sys_bytes")
	if err != nil {
		return out, err
	}
	out.Goroutines = int64(m["go_goroutines"])
	out.LiveHeap = int64(m["zhengwu_memory_live_heap_bytes"])
	out.HeapHeld = int64(m["go_memstats_heap_sys_bytes"] - m["go_memstats_heap_released_bytes"] + m["go_memstats_stack_sys_bytes"])
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return out, err
	}
	out.FDs = int64(len(fds))
	out.DataBytes = dirSize(s.data)
	return out, nil
}

// cpuUse is the server's CPU time so far, its collector's share, and the
// runtime's memory limit in force (0: none).
type cpuUse struct{ total, gc, limit float64 }

func (s *server) cpu(t *testing.T) cpuUse {
	t.Helper()
	m, err := s.scrape("process_cpu_seconds_total", "zhengwu_go_gc_cpu_seconds_total", "zhengwu_memory_limit_bytes")
	if err != nil {
		t.Fatal(err)
	}
	return cpuUse{m["process_cpu_seconds_total"], m["zhengwu_go_gc_cpu_seconds_total"], m["zhengwu_memory_limit_bytes"]}
}

// scrape reads the named unlabelled gauges from the server's /metrics.
func (s *server) scrape(names ...string) (map[string]float64, error) {
	resp, err := http.Get(s.metrics)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && want[f[0]] {
			out[f[0]], _ = strconv.ParseFloat(f[1], 64)
		}
	}
	if len(out) != len(names) {
		return out, fmt.Errorf("metrics: found %d of %v", len(out), names)
	}
	return out, sc.Err()
}

func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
