package desktop

import (
	"context"

	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// Watcher is a Source whose stored documents put things on desktops: it
// names the collections it keeps them in and, for a changed document,
// whose desktops it is on now. The Hub asks it once per changed document
// and batch, whoever is connected, so Audience reads nothing but the
// document it is given.
type Watcher interface {
	Watches() []string
	// Audience is whose desktops doc, as it is now, concerns (found is
	// false when it was deleted). Who it concerned before the change the
	// Hub remembers: a task that leaves someone is named by the earlier
	// answer.
	Audience(ctx context.Context, doc store.Doc, found bool) (Audience, error)
}

// Audience is whose desktops a document is on.
type Audience struct {
	// Users are named people: a task's holders, a reminder's recipient.
	Users []string
	// Anyone, if set, also takes everyone it answers yes for: those who
	// hold a permission in a department (a leave request's approvers),
	// the readers of new information. It must be cheap: the Hub asks it
	// of every connected person.
	Anyone func(p *auth.Principal) bool
}

// Consistent is a Source whose lists follow the store's change feed (a
// records.Collection's list index): Wait returns once they have applied
// the sequence a client passed back (?consistentWith=, "" for none), so
// that a desktop asked for after a live event shows what the event said
// arrived.
type Consistent interface {
	Wait(ctx context.Context, consistentWith string) error
}
