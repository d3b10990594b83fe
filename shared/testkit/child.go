package testkit

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"zhengwu/shared/store/sqlitestore"
)

// Crash tests run the code under test in a child process they can kill
// with SIGKILL: the test binary re-runs itself with an environment
// variable naming the role to play. A package's TestMain calls
// ChildMain first:
//
//	func TestMain(m *testing.M) {
//		testkit.ChildMain("ZHENGWU_FEED_CRASH", runConsumer)
//		os.Exit(m.Run())
//	}
//
// (Main does just that), and the test starts children with StartChild,
// waits for what they print with WaitOutput, and kills them with Kill;
// Crash does the three for a child that reports "start".
//
// A child tells the test how far it got in progress lines "name value"
// on its standard output (Report, ReportChanges), each one write, so that
// a SIGKILL leaves whole lines or none; the test reads them back with
// Progress.

// Main is the TestMain of a package with crash tests: the child's part
// when variable is set (ChildMain), else the tests.
func Main(m *testing.M, variable string, run func(arg string) error) {
	ChildMain(variable, run)
	os.Exit(m.Run())
}

// OnStore is a child's run for a child that works on the test's store:
// it opens the store of the environment whose Dir it is given
// (OpenStore), runs, and closes the store.
func OnStore(run func(st *sqlitestore.Store, dir string) error) func(dir string) error {
	return func(dir string) error {
		st, err := OpenStore(dir)
		if err != nil {
			return err
		}
		defer st.Close()
		return run(st, dir)
	}
}

// ChildMain turns the process into the child when the variable is set:
// it calls run with the variable's value (a directory, say) and exits
// with its outcome. Otherwise it returns and the tests run.
func ChildMain(variable string, run func(arg string) error) {
	arg := os.Getenv(variable)
	if arg == "" {
		return
	}
	if err := run(arg); err != nil {
		os.Stderr.WriteString("child: " + err.Error() + "\n")
		os.Exit(1)
	}
	os.Exit(0)
}

// Child is a running child process and what it has printed.
type Child struct {
	Cmd            *exec.Cmd
	stdout, stderr output
	ended          chan struct{} // closed once the process has ended and been waited for
}

// StartChild starts the test binary as the child playing variable=arg
// (running no tests itself). A child still running when the test ends is
// killed then.
func StartChild(t testing.TB, variable, arg string) *Child {
	t.Helper()
	c := &Child{Cmd: exec.Command(os.Args[0], "-test.run=^$"), ended: make(chan struct{})}
	c.Cmd.Env = append(os.Environ(), variable+"="+arg)
	c.Cmd.Stdout, c.Cmd.Stderr = &c.stdout, &c.stderr
	if err := c.Cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = c.Cmd.Wait(); close(c.ended) }()
	t.Cleanup(func() { _ = c.Cmd.Process.Kill(); <-c.ended })
	return c
}

// Crash is one round of a crash test: it starts the child playing
// variable=arg (what names it in messages), waits until it reports
// "start", lets it work for pause (the test's subject, not a wait: a
// random pause lands the SIGKILL anywhere in a step), kills it, and logs
// what it printed to its standard error, if anything. The child's
// Stdout holds what it reported.
func Crash(t testing.TB, variable, arg, what string, pause time.Duration) *Child {
	t.Helper()
	c := StartChild(t, variable, arg)
	c.WaitOutput(t, time.Minute, what+" started", Reported("start"))
	time.Sleep(pause)
	c.Kill(t)
	if stderr := c.Stderr(); stderr != "" {
		t.Logf("%s stderr: %s", what, stderr)
	}
	return c
}

// Stdout is what the child has printed so far; it may be read while the
// child runs.
func (c *Child) Stdout() string { return c.stdout.String() }

// Stderr is what the child has printed to its standard error so far.
func (c *Child) Stderr() string { return c.stderr.String() }

// WaitOutput waits until cond holds for what the child has printed
// (Eventually, over Stdout), failing the test at once if the child ends
// first.
func (c *Child) WaitOutput(t testing.TB, limit time.Duration, what string, cond func(stdout string) bool) {
	t.Helper()
	Eventually(t, limit, what, func() bool {
		if cond(c.Stdout()) {
			return true
		}
		select {
		case <-c.ended:
			t.Fatalf("the child ended (%v) before %s; stderr: %s", c.Cmd.ProcessState, what, c.Stderr())
		default:
		}
		return false
	})
}

// Kill sends SIGKILL and waits for the child. It fails the test if the
// child had ended by itself (it was meant to run until killed).
func (c *Child) Kill(t testing.TB) {
	t.Helper()
	_ = c.Cmd.Process.Kill()
	<-c.ended
	if st := c.Cmd.ProcessState; st.Exited() {
		t.Fatalf("the child ended by itself (%v) before it was killed; stderr: %s", st, c.Stderr())
	}
}

// output is a buffer the process's copying goroutine writes while the
// test reads it.
type output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// Reported is a condition for WaitOutput: the child has reported name.
func Reported(name string) func(stdout string) bool {
	return func(stdout string) bool {
		_, ok := Progress(stdout)[name]
		return ok
	}
}

// Report prints one progress line, "name value", in one write.
func Report(name string, value int64) { fmt.Printf("%s %d\n", name, value) }

// ReportChanges reports name whenever value differs from the value last
// reported (from, at first), looking every 5 ms in the background until
// the process ends. value's false means the value is not known just now.
func ReportChanges(name string, from int64, value func() (int64, bool)) {
	go func() {
		last := from
		for range time.Tick(5 * time.Millisecond) {
			if v, ok := value(); ok && v != last {
				last = v
				Report(name, v)
			}
		}
	}()
}

// Progress is the last value reported under each name in a child's
// output. Only whole lines count: a line without its newline may have
// been cut by the kill.
func Progress(stdout string) map[string]int64 {
	out := map[string]int64{}
	lines := strings.Split(stdout, "\n")
	for _, line := range lines[:len(lines)-1] { // the last element follows the last newline
		name, num, ok := strings.Cut(line, " ")
		if n, err := strconv.ParseInt(num, 10, 64); ok && err == nil {
			out[name] = n
		}
	}
	return out
}
