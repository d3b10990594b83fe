package storetest

import (
	"errors"

	"zhengwu/shared/store"
)

// untilLanded runs an optimistic write until it lands, as a client of
// versioned writes does: again while it fails with store.ErrConflict
// (another writer came first); any other outcome is returned.
func untilLanded(write func() error) error {
	for {
		if err := write(); !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
}
