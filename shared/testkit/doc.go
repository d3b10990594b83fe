// Package testkit is what every Zhengwu test needs, in one place: a
// controllable clock, a fresh store with its audit trail and token keys
// (Env), requests against a Fiber app with the problem+json checks
// (Response, WantProblem), a table of API scenarios (Scenario, after
// PocketBase's tests.ApiScenario), waiting for a condition instead of
// sleeping (Eventually), a test binary that re-runs itself as a child
// process to be killed and reports how far it got (Child, Report,
// Progress), and the heap's growth while a large body streams (HeapPeak).
//
// It is an ordinary package, not a _test one, so that every capability's
// tests import it instead of copying a harness. It imports nothing above
// shared/; a service's own test environment (its demo users, its routes)
// is built on it in that service (officeapi/officetest).
package testkit
