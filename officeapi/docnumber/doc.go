// Package docnumber gives outgoing documents their 发文字号 and keeps the
// register of them (发文登记簿). It has no HTTP: the 公文 capability calls it
// from its 登记编号 step, and decides who may (docnumber checks the
// arguments, not the caller's rights).
//
// # The number
//
// A Number is 机关代字 + 〔year〕 + serial + 号: 皖政办〔2026〕12号. String
// prints it as GB/T 9704-2012 asks (六角括号 U+3014/U+3015, the year in
// full, no leading zeros, no 第). Parse reads it however it is typed, with
// search's own folding (search/analysis.DocNumber), so that the register,
// the office's document query and portal search agree on what a number
// is; Number.Key is the term search indexes it under.
//
// # Why there are no gaps
//
// A document number is an official record. GB/T 9704-2012 makes it the
// issuer's code, the year and the issuing serial (发文顺序号), and the
// register is how an office accounts for every document it issued: a
// missing serial reads as a document withheld or lost, a repeated one as
// two documents with one identity (DOMAIN.md: one sequence per prefix per
// year, no gaps, no duplicates). So a number is never reserved ahead
// and handed out later: it is taken in the same store write that records
// it and updates the document carrying it. Each prefix-year is a store
// sequence (store.Batch.Next; SequenceName: 发文字号/皖政办/2026); taking
// n+1 is a compare-and-set of the sequence in one PutAll with
//
//   - the registration record (Collection, id RecordID: 皖政办/2026/000012),
//     created only if absent, so one number can never be recorded twice;
//   - the caller's own writes (the document now carrying its number);
//   - the audit entry (audit.Trail.Commit, through audit.UpdateAll).
//
// Either all of it commits or none does: a refused argument, a stale
// document write, an aborted step or a crash takes no number, and two
// registrations that read the same last number cannot both commit (one
// conflicts and retries on the new last number). Reserved-but-unused
// numbers therefore do not exist, by construction: the register lists
// every number up to the sequence's last, each registered or voided.
//
// A voided number (作废, Void) keeps its record, marked voided with who,
// when and why; the sequence only moves forward, so it is never given
// again.
//
// # Registering inside a capability's own step
//
// Register is for a caller with fixed writes: its extra writes carry the
// expected versions the caller read, and a stale one is a 409 at once. A
// step that must read, decide and write the number into its document
// takes the number inside its own audit.UpdateAll with Take, queued
// behind the process's other registrations of that sequence (Lock):
//
//	unlock, err := numbers.Lock(ctx, "皖政办", 2026)
//	if err != nil {
//		return err
//	}
//	defer unlock()
//	_, err = audit.UpdateAll(ctx, trail, func(ctx context.Context, b *store.Batch) ([]audit.Event, error) {
//		var d Document
//		if _, err := b.Load(ctx, "officialdocs", id, &d); err != nil {
//			return nil, err
//		}
//		reg, ev, err := numbers.Take(ctx, b, actor, "皖政办", 2026, docnumber.Subject{Collection: "officialdocs", ID: id})
//		if err != nil {
//			return nil, err
//		}
//		d.DocNumber = reg.Text
//		return []audit.Event{ev, stepEvent}, b.Save("officialdocs", id, d)
//	})
//
// If the step returns an error after Take, nothing is written and the
// number is not used.
//
// # MongoDB
//
// Production's MongoDB is a replica set, where PutAll is one transaction
// (ADR 0002, 0003) and everything above holds as on SQLite. A deployment
// without transactions (a standalone server) gets PutAll's documented
// fallback (shared/store/mongostore/putall.go): versions checked, then
// the writes in order, not atomic against a crash or a writer slipping in
// between. The sequence step is written first and the record second, so
// the failure left behind is a gap (a number taken with no record, seen as
// a jump in List), never a duplicate: the record is create-only, so even
// then no number is recorded twice. Such a gap is for an officer to record
// as voided; a deployment that cannot accept it runs a replica set.
//
// # Figures
//
// BenchmarkRegister, embedded SQLite, 2 shared cores, each registration
// the sequence step, the record, a document write and the audit entry in
// one PutAll: about 4,500 registrations/s one after another and 4,200/s
// with eight at once on one prefix-year (queued by Lock; unqueued, about
// one in 10,000 lost store.MaxAttempts compare-and-sets in a row and
// failed).
package docnumber
