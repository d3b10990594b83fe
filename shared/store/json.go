package store

import (
	"context"
	"encoding/json"
	"fmt"
)

// Load reads a document and decodes it into a T, returning the version too.
func Load[T any](ctx context.Context, s Store, collection, id string) (T, int64, error) {
	var v T
	doc, err := s.Get(ctx, collection, id)
	if err != nil {
		return v, 0, err
	}
	if err := json.Unmarshal(doc.Data, &v); err != nil {
		return v, 0, fmt.Errorf("decode %s/%s: %w", collection, id, err)
	}
	return v, doc.Version, nil
}

// Encode is the JSON a document of v is stored as.
func Encode(v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", v, err)
	}
	return data, nil
}

// Save encodes v and puts it with the expected version.
func Save(ctx context.Context, s Store, collection, id string, v any, expect int64) (Doc, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return Doc{}, fmt.Errorf("encode %s/%s: %w", collection, id, err)
	}
	return s.Put(ctx, collection, id, data, expect)
}

// Update applies change to the current T and writes it back with
// compare-and-set, retrying on conflict (Retry), so that concurrent
// updaters never lose each other's changes. change may run several times,
// each time on a freshly read T; it may return an error to abort.
func Update[T any](ctx context.Context, s Store, collection, id string, change func(*T) error) (T, Doc, error) {
	var (
		v   T
		doc Doc
	)
	err := Retry(ctx, func(ctx context.Context) error {
		var version int64
		var err error
		if v, version, err = Load[T](ctx, s, collection, id); err != nil {
			return err
		}
		if err := change(&v); err != nil {
			return err
		}
		doc, err = Save(ctx, s, collection, id, v, version)
		return err
	})
	if err != nil {
		return v, Doc{}, err
	}
	return v, doc, nil
}
