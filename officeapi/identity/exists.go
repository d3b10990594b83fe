package identity

import (
	"context"
	"errors"

	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// DepartmentExists reports whether a department exists, for capabilities
// that must check a reference to one (an auto-publish rule's department).
func (s *Service) DepartmentExists(ctx context.Context, id string) (bool, error) {
	_, err := s.Department(ctx, id)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return false, nil
	}
	return err == nil, err
}

// PrincipalByUsername is what a token of the user would say now, for work
// done on a person's behalf inside the process (demo data).
func (s *Service) PrincipalByUsername(ctx context.Context, username string) (*auth.Principal, error) {
	u, _, err := s.UserByUsername(ctx, username)
	if err != nil {
		return nil, err
	}
	p, err := s.Principal(ctx, u)
	return &p, err
}
