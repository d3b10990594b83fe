package notify

import (
	"context"
	"net/http"
	"slices"

	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// ListQuery is a page of the inbox; its tags make it the query parameters.
type ListQuery struct {
	Unread         bool   `query:"unread" doc:"只看未读"`
	Kind           string `query:"kind" validate:"omitempty,oneof=task urge meeting schedule mail mention system" doc:"类别"`
	Size           int    `query:"size" validate:"omitempty,min=1,max=100" doc:"每页条数（1–100，默认 20）"`
	Cursor         string `query:"cursor" validate:"max=512" doc:"游标（上一页的 next）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

// KindQuery names one kind, or none for all.
type KindQuery struct {
	Kind string `json:"kind" query:"kind" validate:"omitempty,oneof=task urge meeting schedule mail mention system" doc:"类别（不填为全部）"`
}

// Unread is the unread badge: in all and per kind.
type Unread struct {
	Total  uint64            `json:"total"`
	ByKind map[string]uint64 `json:"byKind"`
}

// ReadAllResult says how many notifications were marked read.
type ReadAllResult struct {
	Marked int `json:"marked"`
}

// List is p's inbox, newest first.
func (s *Service) List(ctx context.Context, p *auth.Principal, q ListQuery) (Page, error) {
	return s.notes.List(ctx, p, records.Query{Sort: "-createdAt", Size: q.Size, Cursor: q.Cursor, ConsistentWith: q.ConsistentWith},
		filters(p, q.Kind, q.Unread)...)
}

func filters(p *auth.Principal, kind string, unread bool) []index.Filter {
	f := []index.Filter{index.Term("recipient", p.UserID)}
	if kind != "" {
		f = append(f, index.Term("kind", kind))
	}
	if unread {
		f = append(f, index.Term("read", "false"))
	}
	return f
}

// UnreadCount is how many of p's notifications are unread, in all and
// per kind.
func (s *Service) UnreadCount(ctx context.Context, p *auth.Principal, consistentWith string) (Unread, error) {
	if err := s.notes.Wait(ctx, consistentWith); err != nil {
		return Unread{}, err
	}
	total, by, err := s.notes.Count(ctx, p, "kind", filters(p, "", true)...)
	return Unread{Total: total, ByKind: by}, err
}

// Get is one of p's notifications (404 for anyone else's).
func (s *Service) Get(ctx context.Context, p *auth.Principal, id string) (View, error) {
	return records.ViewOf(s.notes.Get(ctx, p, id))
}

// MarkRead marks one of p's notifications read; one read already is left
// as it is.
func (s *Service) MarkRead(ctx context.Context, a records.Actor, id string) (View, error) {
	n, doc, err := s.notes.Get(ctx, a.P, id)
	if err != nil || n.Read {
		return records.ViewOf(n, doc, err)
	}
	return records.ViewOf(s.notes.Step(ctx, a, "notify.read", id, func(n *Notification) (map[string]any, error) {
		if !n.Read {
			now := s.notes.Now()
			n.Read, n.ReadAt = true, &now
		}
		return nil, nil
	}))
}

// Delete removes one of p's notifications from their inbox. It counts as
// read: done with, and pruned with the read ones.
func (s *Service) Delete(ctx context.Context, a records.Actor, id string) (View, error) {
	return records.ViewOf(s.notes.Step(ctx, a, "notify.delete", id, func(n *Notification) (map[string]any, error) {
		if !n.Read {
			now := s.notes.Now()
			n.Read, n.ReadAt = true, &now
		}
		n.Deleted = true
		return map[string]any{"kind": n.Kind}, nil
	}))
}

// ReadAll marks every unread notification of p read (of one kind if
// given), in batches each committed with one audit entry.
func (s *Service) ReadAll(ctx context.Context, a records.Actor, q KindQuery) (ReadAllResult, error) {
	var ids []string
	for cursor := ""; ; {
		page, err := s.notes.List(ctx, a.P, records.Query{Sort: "-createdAt", Size: 100, Cursor: cursor}, filters(a.P, q.Kind, true)...)
		if err != nil {
			return ReadAllResult{}, err
		}
		for _, n := range page.Items {
			ids = append(ids, n.ID)
		}
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	marked := 0
	for batch := range slices.Chunk(ids, batchSize) {
		n, err := s.markBatch(ctx, a, q.Kind, batch)
		if err != nil {
			return ReadAllResult{Marked: marked}, err
		}
		marked += n
	}
	if marked > 0 {
		s.notes.Notify()
	}
	return ReadAllResult{Marked: marked}, nil
}

// markBatch marks the notifications of ids read, each at the version read
// (a conflict reads them again).
func (s *Service) markBatch(ctx context.Context, a records.Actor, kind string, ids []string) (int, error) {
	marked := 0
	err := store.Retry(ctx, func(ctx context.Context) error {
		now := s.notes.Now()
		var writes []store.Write
		for _, id := range ids {
			n, doc, err := s.notes.Get(ctx, a.P, id)
			if pr := problem.As(err); pr != nil && pr.Status == http.StatusNotFound {
				continue // deleted meanwhile
			} else if err != nil {
				return err
			}
			if n.Read {
				continue
			}
			n.Read, n.ReadAt = true, &now
			data, err := store.Encode(n)
			if err != nil {
				return err
			}
			writes = append(writes, store.Write{Collection: Collection, ID: id, Data: data, ExpectVersion: doc.Version})
		}
		marked = len(writes)
		if marked == 0 {
			return nil
		}
		_, err := s.trail.Commit(ctx, writes, audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: "notify.read-all",
			Target: Collection + "/" + a.P.UserID, Outcome: audit.Success, Details: map[string]any{"kind": kind, "marked": marked}})
		return err
	})
	return marked, err
}
