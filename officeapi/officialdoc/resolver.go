package officialdoc

import (
	"context"

	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/workflow"
)

// Resolver is the organisation's answer to a flow node's assignment by
// role, permission or post: the accounts holding it, in the department
// the assignment names or takes from the document's fields (审核: the
// drafting department's head), or anywhere when it names none; always in
// the document's own unit (the subject's field "unit", when known), so
// that 合肥's 收文 goes to 合肥's 收发员 and leader, not the province's.
func Resolver(holders func(ctx context.Context, q identity.HolderQuery) ([]string, error)) workflow.Resolver {
	return func(a workflow.Assignment, s workflow.Subject) ([]string, error) {
		dept := a.Department
		if a.DepartmentField != "" {
			dept = s.Fields[a.DepartmentField]
			if dept == "" {
				return nil, nil // the engine refuses a node that fits nobody
			}
		}
		// The engine's Apply is pure and takes no context; the directory
		// answers from the store at once.
		return holders(context.Background(), identity.HolderQuery{Role: a.Role, Permission: a.Permission, Post: a.Post,
			Department: dept, Unit: s.Fields["unit"]})
	}
}
