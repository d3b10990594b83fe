package duty

import (
	"context"
	"errors"
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"zhengwu/officeapi/identity"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Directory is the organisation as duty reads it (identity.Service): the
// accounts whom rosters and swaps name, who holds the duty permissions,
// and the departments of the office's own unit (副班 come from there).
type Directory interface {
	User(ctx context.Context, id string) (identity.User, error)
	Principal(ctx context.Context, u identity.User) (auth.Principal, error)
	Holders(ctx context.Context, q identity.HolderQuery) ([]string, error)
	Departments(ctx context.Context) ([]identity.Department, error)
}

// person is what a token of an enabled account would say now; an
// unknown, malformed or disabled id is a 404.
func (s *Service) person(ctx context.Context, id string) (*auth.Principal, error) {
	u, err := s.dir.User(ctx, id)
	if errors.Is(err, store.ErrInvalid) || err == nil && u.Disabled {
		return nil, problem.NotFound("用户不存在", "no such user")
	}
	if err != nil {
		return nil, err
	}
	p, err := s.dir.Principal(ctx, u)
	return &p, err
}

// officeDepartments are the departments of the unit 值班室 belongs to
// (the office, not the other units of the deployment).
func (s *Service) officeDepartments(ctx context.Context) (map[string]bool, error) {
	ds, err := s.dir.Departments(ctx)
	if err != nil {
		return nil, err
	}
	units := identity.UnitsOf(ds)
	out := map[string]bool{}
	for d, u := range units {
		if u == units[Department] {
			out[d] = true
		}
	}
	return out, nil
}

// People are whom a roster may name, by position (schema DutyPeople).
type People struct {
	Leaders  []Person `json:"leaders"`
	Officers []Person `json:"officers"`
	Staff    []Person `json:"staff"`
}

// People lists, for 值班室 drafting a roster, who may lead (duty.lead),
// take the 主班 (duty.log) and the 副班 (staff of the office), by name.
func (s *Service) People(ctx context.Context, p *auth.Principal) (People, error) {
	if !p.Can(auth.PermDutyManage, auth.OfficeWide) {
		return People{}, problem.Forbidden()
	}
	office, err := s.officeDepartments(ctx)
	if err != nil {
		return People{}, err
	}
	out := People{Leaders: []Person{}, Officers: []Person{}, Staff: []Person{}}
	for _, g := range []struct {
		perm auth.Permission
		pos  string
		into *[]Person
	}{{auth.PermDutyLead, PosLeader, &out.Leaders}, {auth.PermDutyLog, PosMain, &out.Officers}, {auth.PermOfficeRead, PosDeputy, &out.Staff}} {
		ids, err := s.dir.Holders(ctx, identity.HolderQuery{Permission: g.perm.Key()})
		if err != nil {
			return People{}, err
		}
		for _, id := range ids {
			q, err := s.person(ctx, id)
			if problem.As(err) != nil {
				continue
			}
			if err != nil {
				return People{}, err
			}
			if eligible(q, g.pos, "", office) == nil {
				*g.into = append(*g.into, Person{UserID: q.UserID, Name: q.Name})
			}
		}
		byName := collate.New(language.Chinese) // by pinyin, as people look names up
		slices.SortFunc(*g.into, func(a, b Person) int { return byName.CompareString(a.Name, b.Name) })
	}
	return out, nil
}
