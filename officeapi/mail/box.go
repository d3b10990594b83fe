package mail

import (
	"context"
	"slices"

	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// ListQuery is a folder's page; its tags make it the query parameters.
type ListQuery struct {
	Folder         string `query:"folder" validate:"omitempty,max=100" doc:"文件夹：inbox、sent、drafts、trash 或自定义文件夹 id（默认 inbox）"`
	Unread         bool   `query:"unread" doc:"只看未读"`
	Starred        bool   `query:"starred" doc:"只看星标"`
	Size           int    `query:"size" validate:"omitempty,min=1,max=100" doc:"每页条数（1–100，默认 20）"`
	Cursor         string `query:"cursor" validate:"max=512" doc:"游标（上一页的 next）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

// Page is a page of mailbox entries (schema MailEntryPage).
type Page = records.Page[Entry]

// List is a page of p's entries in a folder, newest first.
func (s *Service) List(ctx context.Context, p *auth.Principal, q ListQuery) (Page, error) {
	if q.Folder == "" {
		q.Folder = Inbox
	}
	f := []index.Filter{index.Term("owner", p.UserID), index.Term("folder", q.Folder)}
	if q.Unread {
		f = append(f, index.Term("read", "false"))
	}
	if q.Starred {
		f = append(f, index.Term("starred", "true"))
	}
	return s.entries.List(ctx, p, records.Query{Sort: "-at", Size: q.Size, Cursor: q.Cursor, ConsistentWith: q.ConsistentWith}, f...)
}

// Box is p's folders with their counts, and the mailbox's usage.
type Box struct {
	Folders []Folder `json:"folders"`
	Used    int64    `json:"used"`
	Quota   int64    `json:"quota"`
}

// Folders lists p's system folders, then their own, with unread and
// total counts.
func (s *Service) Folders(ctx context.Context, p *auth.Principal, consistentWith string) (Box, error) {
	if err := s.entries.Wait(ctx, consistentWith); err != nil {
		return Box{}, err
	}
	own, err := store.LoadPrefix[Folder](ctx, s.d.Store, Folders, p.UserID+".")
	if err != nil {
		return Box{}, err
	}
	slices.SortFunc(own, func(a, b Folder) int { return collator().CompareString(a.Name, b.Name) })
	out := Box{Folders: append(slices.Clone(systemFolders), own...), Quota: s.d.Quota}
	for i := range out.Folders {
		f := &out.Folders[i]
		f.Owner = ""
		all, err := s.List(ctx, p, ListQuery{Folder: f.ID, Size: 1})
		if err != nil {
			return Box{}, err
		}
		unread, err := s.List(ctx, p, ListQuery{Folder: f.ID, Unread: true, Size: 1})
		if err != nil {
			return Box{}, err
		}
		f.Total, f.Unread = int(all.Total), int(unread.Total)
	}
	box, _, err := s.mailbox(ctx, p.UserID)
	out.Used = box.Bytes
	return out, err
}

// Change is what a person does to their copy of a mail.
type Change struct {
	Folder  *string `json:"folder,omitempty" validate:"omitempty,max=100"`
	Read    *bool   `json:"read,omitempty"`
	Starred *bool   `json:"starred,omitempty"`
}

// Update moves, marks read or unread, or stars p's entry id.
func (s *Service) Update(ctx context.Context, a records.Actor, id string, ch Change) (Letter, error) {
	if ch.Folder != nil {
		if err := s.folderExists(ctx, a.P, *ch.Folder); err != nil {
			return Letter{}, err
		}
	}
	e, doc, err := s.entries.Step(ctx, a, "mail.update", id, func(e *Entry) (map[string]any, error) {
		if ch.Folder != nil {
			if e.Folder == Drafts || *ch.Folder == Drafts || *ch.Folder == Trash {
				return nil, problem.InvalidState(folderName(e.Folder), e.Folder)
			}
			e.Folder, e.Previous = *ch.Folder, ""
		}
		if ch.Read != nil {
			e.Read = *ch.Read
			if e.Read && e.ReadAt == nil {
				now := s.entries.Now()
				e.ReadAt = &now
			}
		}
		if ch.Starred != nil {
			e.Starred = *ch.Starred
		}
		return map[string]any{"folder": e.Folder, "read": e.Read, "starred": e.Starred}, nil
	})
	if err != nil {
		return Letter{}, err
	}
	return s.letter(ctx, e, doc)
}

// Delete moves p's entry to 已删除, or, from there, deletes it for good:
// it leaves the mailbox, frees its space, and p no longer reads the mail
// or its files.
func (s *Service) Delete(ctx context.Context, a records.Actor, id string) error {
	e, _, err := s.entries.Get(ctx, a.P, id)
	if err != nil {
		return err
	}
	if e.Folder != Trash {
		_, _, err := s.entries.Step(ctx, a, "mail.delete", id, func(e *Entry) (map[string]any, error) {
			if e.Folder == Trash {
				return nil, problem.InvalidState("已删除", Trash)
			}
			e.Previous, e.Folder = e.Folder, Trash
			return map[string]any{"from": e.Previous}, nil
		})
		return err
	}
	_, err = s.removeEntries(ctx, a, "mail.purge", []string{e.ID}, func(e *Entry) bool { return e.Folder == Trash })
	return err
}

// Restore brings p's entry back from 已删除 to where it was.
func (s *Service) Restore(ctx context.Context, a records.Actor, id string) (Letter, error) {
	e, doc, err := s.entries.Step(ctx, a, "mail.restore", id, func(e *Entry) (map[string]any, error) {
		if e.Folder != Trash {
			return nil, problem.InvalidState(folderName(e.Folder), e.Folder)
		}
		e.Folder, e.Previous = e.Previous, ""
		if e.Folder == "" {
			e.Folder = Inbox
		}
		return map[string]any{"to": e.Folder}, nil
	})
	if err != nil {
		return Letter{}, err
	}
	return s.letter(ctx, e, doc)
}

// removeEntries takes the entries ids (of one message) for which take
// holds out of their owners' mailboxes for good: each freed from its
// owner's usage, each recipient added to the message's Gone, in one
// commit. It answers the entries it removed.
func (s *Service) removeEntries(ctx context.Context, a records.Actor, action string, ids []string, take func(*Entry) bool) ([]Entry, error) {
	var removed []Entry
	err := store.Retry(ctx, func(ctx context.Context) error {
		removed = nil
		var writes []store.Write
		var msgID string
		var m Message
		var mv int64
		for _, id := range ids {
			e, v, err := store.Load[Entry](ctx, s.d.Store, Entries, id)
			if err != nil {
				return err
			}
			if !take(&e) {
				continue
			}
			if msgID == "" {
				msgID = e.Message
				if m, mv, err = s.message(ctx, msgID); err != nil {
					return err
				}
			}
			box, bv, err := s.mailbox(ctx, e.Owner)
			if err != nil {
				return err
			}
			box.Bytes = max(0, box.Bytes-e.Size)
			e.Folder = gone
			if e.Owner != m.Sender {
				m.Gone = append(m.Gone, e.Owner)
			}
			removed = append(removed, e)
			writes = append(writes, s.put(Entries, e.ID, e, v), s.put(Usage, box.ID, box, bv))
		}
		if len(writes) == 0 {
			return nil
		}
		writes = append(writes, s.put(Messages, m.ID, m, mv))
		return s.commit(ctx, a, action, m.ID, writes, map[string]any{"entries": len(removed)})
	})
	if err != nil {
		return nil, err
	}
	return removed, nil
}

// folderName is a folder's Chinese name (a custom one's id otherwise).
func folderName(id string) string {
	for _, f := range systemFolders {
		if f.ID == id {
			return f.Name
		}
	}
	return id
}
