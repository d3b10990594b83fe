package testkit

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const childVar = "ZHENGWU_TESTKIT_CHILD"

func TestMain(m *testing.M) {
	ChildMain(childVar, func(arg string) error {
		if arg == "exit" {
			return nil // ends by itself, as a broken child would
		}
		n, _ := strconv.ParseInt(arg, 10, 64)
		Report("ready", n)
		var count atomic.Int64
		ReportChanges("count", 0, func() (int64, bool) { return count.Add(1), true })
		for {
			time.Sleep(time.Hour) // until killed
		}
	})
	os.Exit(m.Run())
}

// A child reports progress while it runs and is killed; one that ends by itself
// fails Kill and WaitOutput instead of passing unnoticed.
func TestChild(t *testing.T) {
	c := StartChild(t, childVar, "42")
	c.WaitOutput(t, 30*time.Second, "counting past 3", func(out string) bool { return Progress(out)["count"] > 3 })
	c.Kill(t)
	if !Reported("ready")(c.Stdout()) || Reported("gone")(c.Stdout()) {
		t.Fatalf("reported: %q", c.Stdout())
	}
	if p := Progress(c.Stdout()); p["ready"] != 42 || p["count"] <= 3 {
		t.Fatalf("progress %v", p)
	}
	if p := Progress("start 7\ncp 9\ncp 12\ngarbage\ncp 1"); p["start"] != 7 || p["cp"] != 12 || len(p) != 2 {
		t.Fatalf("progress of cut output %v", p)
	}

	for _, step := range []func(t testing.TB, c *Child){
		func(t testing.TB, c *Child) {
			c.WaitOutput(t, 30*time.Second, "never", func(string) bool { return false })
		},
		func(t testing.TB, c *Child) { <-c.ended; c.Kill(t) },
	} {
		c := StartChild(t, childVar, "exit")
		if msg := fatalOf(func(tb testing.TB) { step(tb, c) }); !strings.Contains(msg, "the child ended") {
			t.Fatalf("a child that ended by itself: %q", msg)
		}
	}
}

// fatalOf runs f with a testing.TB whose Fatal stops f, and returns the
// message it failed with ("" if it did not).
func fatalOf(f func(t testing.TB)) (msg string) {
	tb := &recorder{}
	defer func() {
		if r := recover(); r != nil && r != tb {
			panic(r)
		}
		msg = tb.msg
	}()
	f(tb)
	return ""
}

type recorder struct {
	testing.TB
	msg string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	panic(r)
}
