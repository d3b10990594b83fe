// Package reminder marks overdue workflow tasks: when an open task's
// deadline (Task.Due) passes, its holder gets one reminder (催办提醒);
// when its second limit (Task.EscalateAt) passes, the holder's leader gets
// one escalation (超期督办). Each is a stored Notice in the reminders
// collection, committed with its audit entry, which the desktop and the
// notification channel read; the notice's existence is the task's
// overdue mark.
//
// # Exactly once, without memory
//
// A notice's id is derived from what it is about — kind, instance, task
// and the deadline that passed (NoticeID) — and it is written create-only
// (expected version 0). A second attempt, by the same scheduler after a
// restart or by another process at the same moment, loses the
// compare-and-set and does nothing. So a pass may be repeated, crash half
// way, or run twice at once: no notice is ever recorded twice, and nothing
// held in memory is needed to know what was sent. A task whose deadline
// moves (returned, transferred, reopened) is a new deadline and gets its
// own notice.
//
// # One sender
//
// Run runs the passes under a lease (shared/lease) so that of several
// processes one scans and sends and the others stand by, taking over
// within the lease's TTL when it dies. The lease only saves work and
// gives one sender: correctness does not rest on it. Each notice's write
// also carries the lease's fencing token (lease.Fence), so a holder that
// was paused past its lease and wakes after another took over is refused
// (lease.ErrFenced) instead of writing on stale belief.
//
// # What it reads
//
// Open tasks come through Tasks, a small interface. StoreTasks reads them
// from the workflow engine's instances as stored, every instance on each
// pass: fine for thousands of running flows. DueIndex holds the open tasks
// in memory by their next deadline, loaded with one scan and kept from the
// change feed, so that a pass reads only the deadlines that have passed
// (at 100k instances a pass costs milliseconds instead of seconds; see
// officialdoc's BenchmarkReminderScan).
package reminder
