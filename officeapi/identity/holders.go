package identity

import (
	"context"
	"slices"

	"zhengwu/shared/auth"
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
//
// Every workflow step that opens a task asks, so it answers from the
// accounts and grants held in memory (directory), brought up to date from
// the change feed first: a grant, a revocation or an account disabled a
// moment ago, by this process or another, counts.
func (s *Service) Holders(ctx context.Context, q HolderQuery) ([]string, error) {
	return s.dir.holders(ctx, s.store, q)
}

// holdersOf is the answer to q over users and their grants, in id order;
// unitOf maps each department to its top-level unit (UnitsOf).
func holdersOf(users []Account, grants map[string][]Grant, unitOf map[string]string, q HolderQuery) []string {
	out := []string{}
	for _, u := range users {
		if u.Disabled || q.Unit != "" && !slices.ContainsFunc(u.DepartmentIDs, func(d string) bool { return unitOf[d] == q.Unit }) {
			continue
		}
		if q.Post != "" && slices.Contains(u.PostIDs, q.Post) || q.Post == "" && slices.ContainsFunc(grants[u.ID], q.fits) {
			out = append(out, u.ID)
		}
	}
	slices.Sort(out)
	return out
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
