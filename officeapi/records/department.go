package records

import (
	"slices"

	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// FilingDepartment is the department a new document is filed in: the one
// the caller gave, or their only one. It must be one of the caller's own
// (400 naming "department" otherwise); whether they may file there is the
// capability's permission check.
func FilingDepartment(p *auth.Principal, given string) (string, error) {
	dept := given
	if dept == "" && len(p.Departments) == 1 {
		dept = p.Departments[0]
	}
	if !slices.Contains(p.Departments, dept) {
		return "", problem.Invalid(problem.Field("department", "请选择本人所在的处室", "choose a department you belong to"))
	}
	return dept, nil
}
