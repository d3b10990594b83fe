package workflow

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// ActiveCollection holds, per flow key, the version new runs start on (an
// Activation, id the key). Versions are immutable; activating one changes
// only what the next Start uses: a running instance keeps its version.
const ActiveCollection = "workflow_active"

// Activation says which version of a flow new runs start on, and who chose
// it when.
type Activation struct {
	Key     string    `json:"key"`
	Version int       `json:"version"`
	By      string    `json:"by,omitempty"` // the user id who activated it
	At      time.Time `json:"at"`
}

// Versions returns every stored version of the flow key, oldest first
// (none: an empty slice).
func (s *Instances) Versions(ctx context.Context, key string) ([]Definition, error) {
	defs, err := store.LoadPrefix[Definition](ctx, s.store, DefinitionCollection, key+"@")
	if err != nil {
		return nil, err
	}
	// "key@10" sorts before "key@2" by id; and a key that extends this
	// one ("key@…" cannot: '@' is not in a key) is excluded by the prefix.
	defs = slices.DeleteFunc(defs, func(d Definition) bool { return d.Key != key })
	slices.SortFunc(defs, func(a, b Definition) int { return a.Version - b.Version })
	return defs, nil
}

// Definitions returns every stored version of every flow, by key then
// version: the flows are a small reference set.
func (s *Instances) Definitions(ctx context.Context) ([]Definition, error) {
	defs, err := store.LoadAll[Definition](ctx, s.store, DefinitionCollection)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(defs, func(a, b Definition) int {
		if c := strings.Compare(a.Key, b.Key); c != 0 {
			return c
		}
		return a.Version - b.Version
	})
	return defs, nil
}

// Activation returns the flow's activation record and its store version
// (0 when none was ever made).
func (s *Instances) Activation(ctx context.Context, key string) (Activation, int64, error) {
	a, version, err := store.Load[Activation](ctx, s.store, ActiveCollection, key)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return Activation{}, 0, nil
	}
	return a, version, err
}

// Active is the version of flow key that new runs start on: the one an
// authorised person activated, or, before anyone did, the highest stored
// (the shipped default a capability saved at its first start). A flow
// with no stored version is a 404 problem.
func (s *Instances) Active(ctx context.Context, key string) (int, error) {
	a, _, err := s.Activation(ctx, key)
	if err != nil {
		return 0, err
	}
	if a.Version > 0 {
		return a.Version, nil
	}
	defs, err := s.Versions(ctx, key)
	if err != nil {
		return 0, err
	}
	if len(defs) == 0 {
		return 0, problem.NotFound("流程不存在："+key, "no such flow: "+key)
	}
	return defs[len(defs)-1].Version, nil
}

// DefinitionWrite is the store write that saves def as a new version
// (never over an existing one), after validating it: for a caller that
// commits it with its audit entry.
func DefinitionWrite(def Definition) (store.Write, error) {
	if err := def.Validate(); err != nil {
		return store.Write{}, err
	}
	data, err := store.Encode(def)
	if err != nil {
		return store.Write{}, err
	}
	return store.Write{Collection: DefinitionCollection, ID: def.ID(), Data: data}, nil
}

// ActivationWrite is the store write that records a, over the record at
// version expect (0: none yet).
func ActivationWrite(a Activation, expect int64) (store.Write, error) {
	data, err := store.Encode(a)
	if err != nil {
		return store.Write{}, err
	}
	return store.Write{Collection: ActiveCollection, ID: a.Key, Data: data, ExpectVersion: expect}, nil
}
