package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// The tests that run the real binary as child processes (kill -9 tests)
// share one build: linking it is the longest part of such a test on a
// busy machine.
var binary struct {
	once sync.Once
	dir  string
	path string
	err  error
	out  []byte
}

// zhengwuBinary builds the zhengwu binary once per test run and returns
// its path; TestMain removes it.
func zhengwuBinary(t *testing.T) string {
	t.Helper()
	binary.once.Do(func() {
		if binary.dir, binary.err = os.MkdirTemp("", "zhengwu-bin-"); binary.err != nil {
			return
		}
		binary.path = filepath.Join(binary.dir, "zhengwu")
		binary.out, binary.err = exec.Command("go", "build", "-o", binary.path, ".").CombinedOutput()
	})
	if binary.err != nil {
		t.Fatalf("build: %v\n%s", binary.err, binary.out)
	}
	return binary.path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary.dir != "" {
		_ = os.RemoveAll(binary.dir)
	}
	os.Exit(code)
}
