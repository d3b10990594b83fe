package forum

import (
	"context"

	"zhengwu/officeapi/identity"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// PeopleOf answers People from the identity service: the account as its
// token would say now; a disabled account is missing.
func PeopleOf(ids *identity.Service) People {
	return func(ctx context.Context, id string) (*auth.Principal, error) {
		u, err := ids.User(ctx, id)
		if err != nil {
			return nil, err
		}
		if u.Disabled {
			return nil, problem.NotFound("用户不存在", "no such user")
		}
		p, err := ids.Principal(ctx, u)
		return &p, err
	}
}
