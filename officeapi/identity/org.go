package identity

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sort"

	"zhengwu/shared/audit"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// NewDepartment is what creating a department takes.
type NewDepartment struct {
	ID       string `json:"id" validate:"required,orgid"`
	Name     string `json:"name" validate:"required,max=64,nocontrol"`
	ParentID string `json:"parentId" validate:"omitempty,orgid"`
	Order    int    `json:"order" validate:"min=0,max=10000"`
}

// CreateDepartment adds a node to the organisation tree (system administrator).
func (s *Service) CreateDepartment(ctx context.Context, by Actor, in NewDepartment) (Department, error) {
	if err := s.require(by, PermOrgManage); err != nil {
		return Department{}, err
	}
	if in.ParentID != "" {
		if _, _, err := store.Load[Department](ctx, s.store, colDepartments, in.ParentID); errors.Is(err, store.ErrNotFound) {
			return Department{}, problem.Invalid(problem.Field("parentId", "上级单位不存在", "no such parent"))
		}
	}
	d := Department(in)
	_, err := audit.Create(ctx, s.trail, colDepartments, d.ID, d, audit.Event{Actor: by.id(), ActorIP: by.IP,
		Action: "org.department.create", Target: d.ID, Outcome: audit.Success})
	return d, taken(err, "id", "处室编号已存在", "department id already exists")
}

// CreatePost adds a post (岗位) to a department (system administrator).
func (s *Service) CreatePost(ctx context.Context, by Actor, p Post) (Post, error) {
	if err := s.require(by, PermOrgManage); err != nil {
		return Post{}, err
	}
	if err := s.checkOrgRefs(ctx, []string{p.DepartmentID}, nil); err != nil {
		return Post{}, err
	}
	_, err := audit.Create(ctx, s.trail, colPosts, p.ID, p, audit.Event{Actor: by.id(), ActorIP: by.IP,
		Action: "org.post.create", Target: p.ID, Outcome: audit.Success})
	return p, taken(err, "id", "岗位编号已存在", "post id already exists")
}

// DepartmentChange renames or reorders a department (system administrator).
type DepartmentChange struct {
	Name  *string `json:"name" validate:"omitempty,min=1,max=64,nocontrol"`
	Order *int    `json:"order" validate:"omitempty,min=0,max=10000"`
}

// UpdateDepartment applies ch to a department.
func (s *Service) UpdateDepartment(ctx context.Context, by Actor, id string, ch DepartmentChange) (Department, error) {
	if err := s.require(by, PermOrgManage); err != nil {
		return Department{}, err
	}
	d, _, err := audit.Update(ctx, s.trail, colDepartments, id, func(d *Department) (audit.Event, error) {
		if ch.Name != nil {
			d.Name = *ch.Name
		}
		if ch.Order != nil {
			d.Order = *ch.Order
		}
		return audit.Event{Actor: by.id(), ActorIP: by.IP, Action: "org.department.update", Target: d.ID,
			Outcome: audit.Success, Details: map[string]any{"name": d.Name, "order": d.Order}}, nil
	})
	return d, missing(err, "处室不存在", "no such department")
}

// PostChange renames a post (system administrator).
type PostChange struct {
	Name string `json:"name" validate:"required,max=64,nocontrol"`
}

// UpdatePost renames a post.
func (s *Service) UpdatePost(ctx context.Context, by Actor, id string, ch PostChange) (Post, error) {
	if err := s.require(by, PermOrgManage); err != nil {
		return Post{}, err
	}
	p, _, err := audit.Update(ctx, s.trail, colPosts, id, func(p *Post) (audit.Event, error) {
		p.Name = ch.Name
		return audit.Event{Actor: by.id(), ActorIP: by.IP, Action: "org.post.update", Target: p.ID,
			Outcome: audit.Success, Details: map[string]any{"name": p.Name}}, nil
	})
	return p, missing(err, "岗位不存在", "no such post")
}

// Posts lists every post, by department then id.
func (s *Service) Posts(ctx context.Context) ([]Post, error) {
	ps, err := store.LoadAll[Post](ctx, s.store, colPosts)
	slices.SortFunc(ps, func(a, b Post) int {
		return cmp.Or(cmp.Compare(a.DepartmentID, b.DepartmentID), cmp.Compare(a.ID, b.ID))
	})
	return ps, err
}

// Departments lists the organisation in tree order (by order, then id).
func (s *Service) Departments(ctx context.Context) ([]Department, error) {
	ds, err := store.LoadAll[Department](ctx, s.store, colDepartments)
	slices.SortFunc(ds, func(a, b Department) int { return cmp.Or(cmp.Compare(a.Order, b.Order), cmp.Compare(a.ID, b.ID)) })
	return ds, err
}

// Department loads one department.
func (s *Service) Department(ctx context.Context, id string) (Department, error) {
	d, _, err := store.Load[Department](ctx, s.store, colDepartments, id)
	return d, err
}

// Post loads one post.
func (s *Service) Post(ctx context.Context, id string) (Post, error) {
	p, _, err := store.Load[Post](ctx, s.store, colPosts, id)
	return p, err
}

// checkOrgRefs checks that every department and post an account names
// exists (CreateUser, UpdateUser, CreatePost), after the orgid rule has
// checked their form.
func (s *Service) checkOrgRefs(ctx context.Context, depts, posts []string) error {
	for _, id := range depts {
		if _, err := s.Department(ctx, id); errors.Is(err, store.ErrNotFound) {
			return problem.Invalid(problem.Field("departmentIds", "处室不存在："+id, "no such department: "+id))
		} else if err != nil {
			return err
		}
	}
	for _, id := range posts {
		if _, err := s.Post(ctx, id); errors.Is(err, store.ErrNotFound) {
			return problem.Invalid(problem.Field("postIds", "岗位不存在："+id, "no such post: "+id))
		} else if err != nil {
			return err
		}
	}
	return nil
}

// Me is the signed-in user's own view: who they are and what they may do.
type Me struct {
	User        PublicUser           `json:"user"`
	Departments []Department         `json:"departments"`
	Posts       []Post               `json:"posts"`
	Roles       []string             `json:"roles"`
	Permissions []string             `json:"permissions"`
	Grants      []Grant              `json:"grants"`
	Clearance   classification.Level `json:"clearance"`
}

// Me reads the current state of a user (not the token's, which may be up
// to 15 minutes old).
func (s *Service) Me(ctx context.Context, userID string) (Me, error) {
	u, err := s.User(ctx, userID)
	if err != nil {
		return Me{}, err
	}
	m := Me{User: u.Public(), Clearance: u.Clearance, Departments: []Department{}, Posts: []Post{}, Roles: []string{}, Permissions: []string{}}
	for _, id := range u.DepartmentIDs {
		if d, err := s.Department(ctx, id); err == nil {
			m.Departments = append(m.Departments, d)
		}
	}
	for _, id := range u.PostIDs {
		if p, err := s.Post(ctx, id); err == nil {
			m.Posts = append(m.Posts, p)
		}
	}
	if m.Grants, err = s.Grants(ctx, u.ID); err != nil {
		return Me{}, err
	}
	p := principalOf(u, m.Grants)
	for _, g := range m.Grants {
		if !slices.Contains(m.Roles, g.Role) {
			m.Roles = append(m.Roles, g.Role)
		}
	}
	for perm := range p.Perms {
		m.Permissions = append(m.Permissions, perm)
	}
	sort.Strings(m.Permissions)
	return m, nil
}
