package identity

import (
	"context"
	"errors"

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
