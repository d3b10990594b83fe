package identity

import (
	"context"
	"sort"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Person is an account as the office's address book (通讯录) shows it to
// every signed-in user: enough to name someone and to choose them (a
// 会签人, whom a task is transferred to), nothing about the account's
// access (no clearance, no roles).
type Person struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	DepartmentIDs []string `json:"departmentIds"`
	PostIDs       []string `json:"postIds"`
}

// Directory lists the enabled accounts of the departments, in Chinese
// (pinyin) order of their names. The three officers belong to no
// department and are left out.
func (s *Service) Directory(ctx context.Context) ([]Person, error) {
	users, _, err := s.everyone(ctx)
	if err != nil {
		return nil, err
	}
	out := []Person{}
	for _, u := range users {
		if u.Disabled || len(u.DepartmentIDs) == 0 {
			continue
		}
		out = append(out, Person{ID: u.ID, Name: u.DisplayName, DepartmentIDs: u.DepartmentIDs, PostIDs: orEmpty(u.PostIDs)})
	}
	c := collate.New(language.Chinese)
	sort.SliceStable(out, func(i, j int) bool { return c.CompareString(out[i].Name, out[j].Name) < 0 })
	return out, nil
}
