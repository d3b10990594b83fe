package forum

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
)

// BoardInput is a new board or a board's new settings. Department is set
// at creation only ("" office-wide); Version is the one read, for an edit.
type BoardInput struct {
	Name        string               `json:"name" validate:"required,max=40,nocontrol"`
	Description string               `json:"description" validate:"max=200,nocontrol"`
	Department  string               `json:"department" validate:"omitempty,orgid"`
	Notices     bool                 `json:"notices"`
	Ceiling     classification.Level `json:"ceiling" validate:"omitempty,classification"`
	Moderators  []string             `json:"moderators" validate:"max=20,dive,required,max=64"`
	Order       int                  `json:"order" validate:"min=0,max=10000"`
	Version     int64                `json:"version" validate:"min=0"`
}

// BoardList is every board p may see: office-wide boards first, then by
// their order.
type BoardList struct {
	Items []Board `json:"items"`
	// Manage says whether the reader keeps the boards (forum.manage).
	Manage bool `json:"manage"`
}

// Boards lists the boards p may see.
func (s *Service) Boards(ctx context.Context, p *auth.Principal, consistentWith string) (BoardList, error) {
	pg, err := s.boards.List(ctx, p, records.Query{Size: 100, ConsistentWith: consistentWith, Sort: "order"})
	if err != nil {
		return BoardList{}, err
	}
	slices.SortStableFunc(pg.Items, func(a, b Board) int {
		return cmp.Or(cmp.Compare(min(len(a.Department), 1), min(len(b.Department), 1)), cmp.Compare(a.Order, b.Order))
	})
	return BoardList{Items: pg.Items, Manage: p.Can(auth.PermForumManage, auth.OfficeWide)}, nil
}

// Board returns a board p may see.
func (s *Service) Board(ctx context.Context, p *auth.Principal, id string) (BoardView, error) {
	return records.ViewOf(s.boards.Get(ctx, p, id))
}

// settle checks a board's settings and resolves its moderators' names.
// A department board's moderators must be its members, who read it.
func (s *Service) settle(ctx context.Context, in BoardInput, b *Board) error {
	b.Name, b.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	if b.Name == "" {
		return problem.Invalid(problem.Field("name", "请填写版块名称", "name is required"))
	}
	b.Notices, b.Order, b.Ceiling = in.Notices, in.Order, in.Ceiling
	if b.Ceiling == "" {
		b.Ceiling = classification.Feimi
	}
	b.Moderators, b.ModeratorNames = []string{}, []string{}
	for _, id := range in.Moderators {
		if slices.Contains(b.Moderators, id) {
			continue
		}
		m, err := s.people(ctx, id)
		if err != nil || (b.Department != "" && !slices.Contains(m.Departments, b.Department)) {
			return problem.Invalid(problem.Field("moderators", "版主须为本版块可读的在职人员", "a moderator must be an active reader of the board"))
		}
		b.Moderators, b.ModeratorNames = append(b.Moderators, id), append(b.ModeratorNames, m.Name)
	}
	return nil
}

// CreateBoard adds a board (forum.manage, office-wide).
func (s *Service) CreateBoard(ctx context.Context, a records.Actor, in BoardInput) (BoardView, error) {
	if !a.P.Can(auth.PermForumManage, auth.OfficeWide) {
		return BoardView{}, s.boards.Refused(ctx, a, "forum.board.create", BoardsCollection, notManager())
	}
	b := Board{Department: in.Department}
	if err := s.settle(ctx, in, &b); err != nil {
		return BoardView{}, err
	}
	b.CreatedAt = s.boards.Now()
	b.UpdatedAt = b.CreatedAt
	return records.ViewOf(s.boards.Create(ctx, a, "forum.board.create", b,
		map[string]any{"name": b.Name, "department": b.Department, "moderators": b.Moderators, "ceiling": b.Ceiling}))
}

// UpdateBoard changes a board's settings at the version read (its
// department stays).
func (s *Service) UpdateBoard(ctx context.Context, a records.Actor, id string, in BoardInput) (BoardView, error) {
	if !a.P.Can(auth.PermForumManage, auth.OfficeWide) {
		return BoardView{}, s.boards.Refused(ctx, a, "forum.board.update", BoardsCollection+"/"+id, notManager())
	}
	b, doc, err := s.boards.Get(ctx, a.P, id)
	if err != nil {
		return BoardView{}, err
	}
	if in.Version != 0 && in.Version != doc.Version {
		return BoardView{}, problem.Conflict("版块已被他人修改，请刷新后重试", "the board changed since it was read")
	}
	if err := s.settle(ctx, in, &b); err != nil {
		return BoardView{}, err
	}
	b.UpdatedAt = s.boards.Now()
	return records.ViewOf(s.boards.Put(ctx, a, "forum.board.update", b, doc.Version,
		map[string]any{"name": b.Name, "moderators": b.Moderators, "ceiling": b.Ceiling}))
}
