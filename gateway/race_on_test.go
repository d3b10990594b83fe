//go:build race

package gateway_test

// raceEnabled: the race detector slows the gateway ~5x; the crash test
// scales its item count down to stay within its time budget.
const raceEnabled = true
