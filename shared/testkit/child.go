package testkit

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
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
// and the test starts children with StartChild.

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

// Child is a running child process and what it printed.
type Child struct {
	Cmd            *exec.Cmd
	Stdout, Stderr bytes.Buffer
}

// StartChild starts the test binary as the child playing variable=arg
// (running no tests itself).
func StartChild(t testing.TB, variable, arg string) *Child {
	t.Helper()
	c := &Child{Cmd: exec.Command(os.Args[0], "-test.run=^$")}
	c.Cmd.Env = append(os.Environ(), variable+"="+arg)
	c.Cmd.Stdout, c.Cmd.Stderr = &c.Stdout, &c.Stderr
	if err := c.Cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return c
}

// Kill sends SIGKILL and waits for the child; it fails the test if the
// child had already exited (it was meant to run until killed).
func (c *Child) Kill(t testing.TB) {
	t.Helper()
	if err := c.Cmd.Process.Kill(); err != nil {
		t.Fatalf("kill: %v (the child exited by itself? stderr: %s)", err, c.Stderr.String())
	}
	_ = c.Cmd.Wait()
}
