package officialdoc

import (
	"context"
	"strconv"

	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/workflow"
	"zhengwu/shared/store"
)

// Watches names the collection whose changes move 公文 tasks between
// desktops (desktop.Watcher): a document carries its open tasks' holders.
func (s *Service) Watches() []string { return []string{Collection} }

// Audience is a document's current holders; the live desktop remembers
// the earlier ones, so a task that leaves someone tells them too.
func (s *Service) Audience(_ context.Context, doc store.Doc, found bool) (desktop.Audience, error) {
	if !found {
		return desktop.Audience{}, nil
	}
	var d Document
	if err := doc.Decode(&d); err != nil {
		return desktop.Audience{}, err
	}
	return desktop.Audience{Users: d.Holders}, nil
}

// Wait waits until the list index and the open tasks by holder have
// applied a change-feed sequence (desktop.Consistent): the desktop read at
// an event's id shows the task that event announced, from any process.
func (s *Service) Wait(ctx context.Context, consistentWith string) error {
	if err := s.docs.Wait(ctx, consistentWith); err != nil {
		return err
	}
	want, _ := strconv.ParseInt(consistentWith, 10, 64) // valid, or "" (0): docs.Wait said so
	if must, _ := s.tasks.stale(want); must {
		return s.tasks.catchUp(ctx, s)
	}
	return nil
}

// Link is the SPA path of a workflow subject that is a 公文 ("" for
// another capability's): where a reminder about its task on node leads
// (TaskLink: the print job for 印制).
func Link(s workflow.Subject, node string) string {
	if s.Collection != Collection {
		return ""
	}
	return TaskLink(s.ID, node)
}
