package assistant

import (
	"context"
	"slices"
	"strings"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/richtext"
)

// NoteQuery is a note list request.
type NoteQuery struct {
	Size           int    `query:"size" validate:"omitempty,min=1,max=100" doc:"每页条数（1–100，默认 20）"`
	Cursor         string `query:"cursor" validate:"max=512" doc:"游标（上一页的 next）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

// Notes lists p's own notes, pinned first, then the latest changed.
func (s *Service) Notes(ctx context.Context, p *auth.Principal, q NoteQuery) (NotePage, error) {
	page, err := s.notes.List(ctx, p, records.Query{Sort: "-updatedAt", Size: q.Size, Cursor: q.Cursor, ConsistentWith: q.ConsistentWith}, mine(p))
	if err != nil {
		return page, err
	}
	// Pinned first within the page: a person keeps a handful of notes, and
	// the index sorts on one field.
	slices.SortStableFunc(page.Items, func(a, b Note) int {
		switch {
		case a.Pinned == b.Pinned:
			return 0
		case a.Pinned:
			return -1
		}
		return 1
	})
	return page, nil
}

// GetNote returns p's own note (404 for anyone else's).
func (s *Service) GetNote(ctx context.Context, p *auth.Principal, id string) (NoteView, error) {
	return records.ViewOf(s.notes.Get(ctx, p, id))
}

// SaveNote writes a new note (id "") or edits the actor's note at the
// version they read. The body goes through the shared sanitiser.
func (s *Service) SaveNote(ctx context.Context, a records.Actor, id string, in NoteInput) (NoteView, error) {
	now := s.notes.Now()
	body := richtext.Sanitize(in.Body)
	title := strings.TrimSpace(in.Title)
	if title == "" && strings.TrimSpace(richtext.PlainText(body)) == "" {
		return NoteView{}, problem.Invalid(problem.Field("body", "便笺内容不能为空", "a note needs a title or a body"))
	}
	colour := in.Colour
	if colour == "" {
		colour = noteColours[0]
	}
	if id == "" {
		return records.ViewOf(s.notes.Create(ctx, a, "assistant.note.create",
			Note{Owner: a.P.UserID, Title: title, Body: body, Pinned: in.Pinned, Colour: colour, CreatedAt: now, UpdatedAt: now}, nil))
	}
	n, doc, err := s.notes.Get(ctx, a.P, id)
	if err != nil {
		return NoteView{}, err
	}
	if in.Version != doc.Version {
		return NoteView{}, problem.Conflict("便笺已被修改，请刷新后重试", "the note changed; reload and retry")
	}
	n.Title, n.Body, n.Pinned, n.Colour, n.UpdatedAt = title, body, in.Pinned, colour, now
	return records.ViewOf(s.notes.Put(ctx, a, "assistant.note.update", n, doc.Version, nil))
}

// DeleteNote removes the actor's note.
func (s *Service) DeleteNote(ctx context.Context, a records.Actor, id string) (NoteView, error) {
	return records.ViewOf(s.notes.Step(ctx, a, "assistant.note.delete", id, func(n *Note) (map[string]any, error) {
		n.Deleted, n.UpdatedAt = true, s.notes.Now()
		return nil, nil
	}))
}
