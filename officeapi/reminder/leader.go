package reminder

import (
	"context"

	"zhengwu/officeapi/identity"
	"zhengwu/shared/auth"
)

// Leaders is the Scheduler's Leader from the organisation: the holder's
// leader is the head (处室负责人) of the holder's department, the first of
// their departments that has one other than the holder; failing that, the
// office's leader (领导); "" when neither exists.
func Leaders(ids *identity.Service) func(ctx context.Context, user string) (string, error) {
	return func(ctx context.Context, user string) (string, error) {
		u, err := ids.User(ctx, user)
		if err != nil {
			return "", err
		}
		queries := make([]identity.HolderQuery, 0, len(u.DepartmentIDs)+1)
		for _, d := range u.DepartmentIDs {
			queries = append(queries, identity.HolderQuery{Role: auth.RoleDeptHead, Department: d})
		}
		queries = append(queries, identity.HolderQuery{Role: auth.RoleLeader})
		for _, q := range queries {
			heads, err := ids.Holders(ctx, q)
			if err != nil {
				return "", err
			}
			for _, h := range heads {
				if h != user {
					return h, nil
				}
			}
		}
		return "", nil
	}
}
