package officialdoc

import (
	"context"

	"zhengwu/officeapi/identity"
)

// org is the organisation tree as a document step needs it.
type org struct {
	depts  map[string]identity.Department
	unitOf map[string]string // department → its top-level unit
	byName map[string]string // a unit's exact name → its id
}

// org reads the tree (empty without Deps.Departments).
func (s *Service) org(ctx context.Context) (org, error) {
	o := org{depts: map[string]identity.Department{}, unitOf: map[string]string{}, byName: map[string]string{}}
	if s.depts == nil {
		return o, nil
	}
	ds, err := s.depts(ctx)
	if err != nil {
		return o, err
	}
	o.unitOf = identity.UnitsOf(ds)
	for _, d := range ds {
		o.depts[d.ID] = d
		if d.ParentID == "" {
			o.byName[d.Name] = d.ID
		}
	}
	return o, nil
}

// unitOf is the unit a document filed in dept belongs to ("" when the
// tree is not known).
func (s *Service) unitOf(ctx context.Context, dept string) (string, error) {
	o, err := s.org(ctx)
	return o.unitOf[dept], err
}

// inUnit reports whether dept exists and lies in unit (any unit when the
// document has none recorded).
func (o org) inUnit(dept, unit string) bool {
	u, ok := o.unitOf[dept]
	return ok && (unit == "" || u == unit)
}
