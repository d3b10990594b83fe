package forum

import (
	"context"
	"errors"
	"log/slog"

	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/records"
	"zhengwu/search/analysis"
	"zhengwu/search/feed"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// People is a person as a token of theirs would say now; a missing or
// disabled account is an error (a mention of them tells no one).
type People func(ctx context.Context, userID string) (*auth.Principal, error)

// Deps is what the forum needs from the process.
type Deps struct {
	records.Deps
	People People
	// Notify tells the mentioned (nil sends nothing).
	Notify notify.Sender
}

// Service is the forum. Its threads' list index (Start, Close, Notify)
// is the module table's; the boards' index is started with it.
type Service struct {
	*feed.ListIndex
	boards  *records.Collection[Board]
	threads *records.Collection[Thread]
	people  People
	notify  notify.Sender
	log     *slog.Logger
	store   store.Store // the view counters and read marks
}

// New opens both collections and their list indexes; Start feeds them.
func New(d Deps) (*Service, error) {
	if d.People == nil {
		return nil, errors.New("forum: People is required")
	}
	bd := d.Deps
	bd.IndexDir = d.IndexDir + "/boards"
	boards, err := records.Open(records.Config[Board]{Deps: bd, Collection: BoardsCollection,
		Noun: records.Noun{Zh: "版块", En: "forum board"}, Access: BoardAccessOf})
	if err != nil {
		return nil, err
	}
	td := d.Deps
	td.IndexDir = d.IndexDir + "/threads"
	threads, err := records.Open(records.Config[Thread]{Deps: td, Collection: Collection,
		Noun: records.Noun{Zh: "帖子", En: "forum thread"}, Access: AccessOf,
		Mapping: records.MappingOf[Summary]("views").Keyword(fActivity).FullText(fText, analysis.Analyzer, false), Project: project})
	if err != nil {
		_ = boards.Close()
		return nil, err
	}
	log := d.Log
	if log == nil {
		log = slog.Default()
	}
	return &Service{ListIndex: threads.ListIndex, boards: boards, threads: threads, people: d.People, notify: d.Notify, log: log, store: d.Store}, nil
}

// Start feeds both list indexes from the change feed.
func (s *Service) Start(ctx context.Context) error {
	if err := s.boards.Start(ctx); err != nil {
		return err
	}
	return s.threads.Start(ctx)
}

// Close stops both list indexes.
func (s *Service) Close() error {
	return errors.Join(s.threads.Close(), s.boards.Close())
}

// Notify tells both list indexes the store changed.
func (s *Service) Notify() {
	s.boards.Notify()
	s.threads.Notify()
}

// CatchUp brings both list indexes up to the store's last change.
func (s *Service) CatchUp(ctx context.Context) error {
	if err := s.boards.CatchUp(ctx); err != nil {
		return err
	}
	return s.threads.CatchUp(ctx)
}

// Wait waits until both lists have applied a change-feed sequence
// (desktop.Consistent).
func (s *Service) Wait(ctx context.Context, consistentWith string) error {
	if err := s.boards.Wait(ctx, consistentWith); err != nil {
		return err
	}
	return s.threads.Wait(ctx, consistentWith)
}

// mayModerate reports whether p moderates board b: one of its moderators,
// or a board keeper.
func mayModerate(p *auth.Principal, b *Board) bool {
	if p.Can(auth.PermForumManage, auth.OfficeWide) {
		return true
	}
	for _, m := range b.Moderators {
		if m == p.UserID {
			return true
		}
	}
	return false
}

// board loads a board p may see (404 otherwise).
func (s *Service) board(ctx context.Context, p *auth.Principal, id string) (Board, error) {
	b, _, err := s.boards.Get(ctx, p, id)
	return b, err
}

// notManager is the refusal of a board change by someone who keeps no boards.
func notManager() error {
	return problem.New(403, problem.CodeForbidden, "只有论坛管理员可以管理版块", "only forum managers keep the boards")
}
