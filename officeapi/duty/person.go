package duty

import (
	"context"
	"errors"

	"zhengwu/officeapi/identity"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Directory is the accounts as duty reads them (identity.Service).
type Directory interface {
	User(ctx context.Context, id string) (identity.User, error)
	Principal(ctx context.Context, u identity.User) (auth.Principal, error)
}

// PersonIn is Deps.Person from a directory: what a token of an enabled
// account would say now; an unknown, malformed or disabled id is a 404.
func PersonIn(d Directory) func(ctx context.Context, id string) (*auth.Principal, error) {
	return func(ctx context.Context, id string) (*auth.Principal, error) {
		u, err := d.User(ctx, id)
		if errors.Is(err, store.ErrInvalid) || err == nil && u.Disabled {
			return nil, problem.NotFound("用户不存在", "no such user")
		}
		if err != nil {
			return nil, err
		}
		p, err := d.Principal(ctx, u)
		return &p, err
	}
}
