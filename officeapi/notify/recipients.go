package notify

import (
	"context"

	"zhengwu/officeapi/identity"
)

// RecipientsOf reads Send's recipients from the organisation's accounts
// (held in memory by identity).
func RecipientsOf(ids *identity.Service) func(ctx context.Context, userIDs []string) (map[string]Recipient, error) {
	return func(ctx context.Context, userIDs []string) (map[string]Recipient, error) {
		accounts, err := ids.Accounts(ctx, userIDs)
		if err != nil {
			return nil, err
		}
		out := make(map[string]Recipient, len(accounts))
		for id, a := range accounts {
			out[id] = Recipient{Clearance: a.Clearance, Disabled: a.Disabled}
		}
		return out, nil
	}
}
