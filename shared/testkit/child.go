package testkit

import (
	"bytes"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
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
// and the test starts children with StartChild, waits for what they
// print with WaitOutput, and kills them with Kill.

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
