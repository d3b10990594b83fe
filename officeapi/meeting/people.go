package meeting

import (
	"context"
	"slices"

	"zhengwu/officeapi/identity"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// Person is what a meeting needs to know of an invited account.
type Person struct {
	ID          string
	Name        string
	Departments []string
	Clearance   classification.Level
	// Precedence is the default protocol rank key (PostPrecedence).
	Precedence int
	Disabled   bool
}

// People loads a person by account id; a missing one is a 404 problem.
type People func(ctx context.Context, id string) (Person, error)

// postPrecedence ranks the posts of a provincial government's office,
// most senior first. A post not listed ranks after all of them.
var postPrecedence = []string{"省长", "常务副省长", "副省长", "秘书长", "副秘书长", "主任", "副主任",
	"巡视员", "处长", "副巡视员", "副处长", "调研员", "主任科员", "副主任科员", "科员", "办事员"}

// Precedence of someone without a ranked post, and the step between
// two posts (room to set a rank between them by hand).
const (
	unranked  = 1000
	rankStep  = 10
	leaderKey = 4 * rankStep // a leader-role holder without a ranked post: 秘书长-level
)

// PostPrecedence is the default protocol rank key of someone holding
// posts (names): their most senior post's place in the table, × 10;
// leader marks the leader role, which counts as 秘书长-level at least.
func PostPrecedence(posts []string, leader bool) int {
	best := unranked
	for _, name := range posts {
		if i := slices.Index(postPrecedence, name); i >= 0 && (i+1)*rankStep < best {
			best = (i + 1) * rankStep
		}
	}
	if leader && best > leaderKey {
		best = leaderKey
	}
	return best
}

// PeopleOf answers People from the identity service: the account, its
// posts' names and whether it holds the leader role (a grant of "leader").
func PeopleOf(ids *identity.Service) People {
	return func(ctx context.Context, id string) (Person, error) {
		u, err := ids.User(ctx, id)
		if err != nil {
			return Person{}, err
		}
		var posts []string
		for _, pid := range u.PostIDs {
			if p, err := ids.Post(ctx, pid); err == nil {
				posts = append(posts, p.Name)
			}
		}
		grants, err := ids.Grants(ctx, u.ID)
		if err != nil {
			return Person{}, err
		}
		leader := slices.ContainsFunc(grants, func(g identity.Grant) bool { return g.Role == auth.RoleLeader })
		return Person{ID: u.ID, Name: u.DisplayName, Departments: u.DepartmentIDs, Clearance: u.Clearance,
			Precedence: PostPrecedence(posts, leader), Disabled: u.Disabled}, nil
	}
}

// DepartmentNames answers a department's name (identity's Department).
type DepartmentNames func(ctx context.Context, id string) (string, error)

// DepartmentNamesOf answers DepartmentNames from the identity service.
func DepartmentNamesOf(ids *identity.Service) DepartmentNames {
	return func(ctx context.Context, id string) (string, error) {
		d, err := ids.Department(ctx, id)
		return d.Name, err
	}
}
