package testkit

import (
	"testing"
	"time"
)

// Eventually polls cond every few milliseconds until it holds, failing
// the test with what if it does not within limit. Tests wait for a
// condition this way instead of sleeping and hoping.
func Eventually(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for wait := time.Millisecond; ; wait = min(wait*2, 50*time.Millisecond) {
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still not %s after %v", what, limit)
		}
		time.Sleep(wait)
	}
}
