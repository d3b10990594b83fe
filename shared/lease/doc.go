// Package lease gives a singleton (the reminder scheduler, the gateway,
// the archive's fixity job) one runner among several processes: a lease
// is one document in the store per name — who holds it, until when, and a
// fencing token — taken and renewed by compare-and-set, so that two
// contenders can never both write themselves in.
//
// # Why a lease is not enough, and what the token is for
//
// A lease is decided by clocks: the holder believes it holds until its
// expiry, a contender believes it is free after it. A holder that pauses
// (a long garbage collection, a suspended VM, a lost network) may wake
// after its lease expired and another process took it, and still act on
// its old belief. Run narrows that window — it cancels fn's context when
// a renewal is refused, and on its own clock some Margin before the
// expiry when renewals cannot get through — but no clock check closes it.
//
// The fencing token closes it for writes to the store: every acquisition
// (never a renewal) takes a token higher than any before it, and a holder
// puts Fence's write into each of its store writes. Fence refuses a token
// lower than the highest one that has written (ErrFenced), and its write
// carries the version it read, so a stale holder's write either sees the
// new token or loses its compare-and-set. Work whose correctness must not
// depend on clocks (reminders, the gateway's moves) is made exactly-once
// by its own means — deterministic ids written create-only — and uses the
// lease to save duplicated effort and to have one sender; the token is the
// guard for writes that are not naturally idempotent.
//
// # Clocks
//
// Expiry is decided on Leases.Now, which a test replaces with a fake
// clock (testkit.Clock); Poll, how often Run looks, is wall time. A test
// moves the fake clock and waits for a condition, never for a duration.
package lease
