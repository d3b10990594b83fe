package identity

import (
	"context"
	"slices"

	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// HolderQuery asks who holds something in the organisation: a role, a
// permission (through the roles that carry it) or a post. Department
// narrows a role or permission to grants in that department or
// office-wide; "" takes every grant. Unit keeps only the accounts that
// belong to that organisation of the deployment (a top-level unit of the
// tree: a department in it or below it), so that an office-wide grant in
// one unit answers nothing for another unit's documents.
type HolderQuery struct {
	Role, Permission, Post string
	Department             string
	Unit                   string
}

// Holders lists the ids of the enabled accounts that fit q, in id order:
// the organisation's answer to a workflow node's assignment (who reviews
// in 秘书二处, who holds doc.register, who holds the print-room post).
func (s *Service) Holders(ctx context.Context, q HolderQuery) ([]string, error) {
	users, grants, err := s.everyone(ctx)
	if err != nil {
		return nil, err
	}
	var unitOf map[string]string
	if q.Unit != "" {
		if unitOf, err = s.units(ctx); err != nil {
			return nil, err
		}
	}
	var out []string
	for _, u := range users {
		if u.Disabled || q.Unit != "" && !slices.ContainsFunc(u.DepartmentIDs, func(d string) bool { return unitOf[d] == q.Unit }) {
			continue
		}
		if q.Post != "" && slices.Contains(u.PostIDs, q.Post) || q.Post == "" && slices.ContainsFunc(grants[u.ID], q.fits) {
			out = append(out, u.ID)
		}
	}
	slices.Sort(out)
	return out, nil
}

// fits reports whether g gives what q asks (a role or permission, in q's
// department when it names one).
func (q HolderQuery) fits(g Grant) bool {
	if q.Department != "" && g.DepartmentID != q.Department && g.DepartmentID != auth.OfficeWide {
		return false
	}
	role, ok := RoleByKey(g.Role)
	switch {
	case !ok:
		return false
	case q.Role != "":
		return role.Key == q.Role
	case q.Permission != "":
		return slices.ContainsFunc(role.Perms, func(p auth.Permission) bool { return p.Key() == q.Permission })
	}
	return false
}

// everyone is every account with its grants, by user id.
func (s *Service) everyone(ctx context.Context) ([]User, map[string][]Grant, error) {
	users, err := store.LoadAll[User](ctx, s.store, colUsers)
	if err != nil {
		return nil, nil, err
	}
	sets, err := store.LoadAll[grantSet](ctx, s.store, colGrants)
	if err != nil {
		return nil, nil, err
	}
	grants := map[string][]Grant{}
	for _, gs := range sets {
		grants[gs.UserID] = gs.Grants
	}
	return users, grants, nil
}

// units maps every department to the top-level unit it lies in (itself
// for a unit).
func (s *Service) units(ctx context.Context) (map[string]string, error) {
	ds, err := store.LoadAll[Department](ctx, s.store, colDepartments)
	if err != nil {
		return nil, err
	}
	return UnitsOf(ds), nil
}

// UnitsOf maps each department of ds to its top-level unit: the
// organisations of the deployment are the roots of the tree.
func UnitsOf(ds []Department) map[string]string {
	parent := map[string]string{}
	for _, d := range ds {
		parent[d.ID] = d.ParentID
	}
	out := make(map[string]string, len(ds))
	for _, d := range ds {
		id := d.ID
		for hops := 0; parent[id] != "" && hops < len(ds); hops++ {
			id = parent[id]
		}
		out[d.ID] = id
	}
	return out
}
