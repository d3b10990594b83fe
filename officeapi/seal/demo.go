package seal

import (
	"context"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
)

// SeedDemo gives every issuing unit without an active key its first one,
// as the demo's security administrator (secadmin) through Generate; it
// adds nothing a second time.
func (s *Service) SeedDemo(ctx context.Context, principal func(ctx context.Context, username string) (*auth.Principal, error)) (int, error) {
	sec, err := principal(ctx, "secadmin")
	if err != nil {
		return 0, err
	}
	units, err := s.Units(ctx, sec)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, u := range units {
		if _, ok := u.Active(); ok {
			continue
		}
		if _, err := s.Generate(ctx, records.Actor{P: sec, IP: "demo"}, u.ID, KeyInput{Reason: "演示数据"}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
