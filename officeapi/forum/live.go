package forum

import (
	"context"

	"zhengwu/officeapi/desktop"
	"zhengwu/shared/store"
)

// Watches names what moves the desktop's forum entries: threads (a notice
// pinned, unpinned, hidden, moved) and read marks (desktop.Watcher).
func (s *Service) Watches() []string { return []string{Collection, ReadsCollection} }

// Audience of a change: for a thread on a notices board, everyone who may
// read it (the Hub remembers who it concerned before, so an unpinned
// notice leaves those desktops too); for a read mark, its reader.
func (s *Service) Audience(_ context.Context, doc store.Doc, found bool) (desktop.Audience, error) {
	if !found {
		return desktop.Audience{}, nil
	}
	if doc.Collection == ReadsCollection {
		var r struct {
			User string `json:"user"`
		}
		if err := doc.Decode(&r); err != nil {
			return desktop.Audience{}, err
		}
		return desktop.Audience{Users: []string{r.User}}, nil
	}
	var t Thread
	if err := doc.Decode(&t); err != nil {
		return desktop.Audience{}, err
	}
	if !t.Notice {
		return desktop.Audience{}, nil
	}
	acc := AccessOf(&t)
	return desktop.Audience{Anyone: acc.Allows}, nil
}

var (
	_ desktop.Watcher    = (*Service)(nil)
	_ desktop.Consistent = (*Service)(nil)
)
