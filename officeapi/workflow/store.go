package workflow

import (
	"context"
	"errors"
	"sync"
	"time"

	"zhengwu/shared/audit"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Collections the engine keeps its documents in.
const (
	InstanceCollection   = "workflow_instances"
	DefinitionCollection = "workflow_definitions" // id "key@version": immutable once saved
)

// Instances keeps instances in the store: each step loads the instance,
// applies the action and writes the result with compare-and-set, in one
// store write with whatever the capability commits beside it (its
// document's new state) and the audit entries.
type Instances struct {
	store store.Store
	trail *audit.Trail // nil: no audit entries (tests of the engine alone)
	env   Env
	now   func() time.Time

	mu   sync.RWMutex
	defs map[string]*Definition // versions are immutable: cached for good
}

// NewInstances returns the instances on s; trail records each step (nil:
// none), env resolves assignments and counts deadlines, now is the clock
// (nil: time.Now).
func NewInstances(s store.Store, trail *audit.Trail, env Env, now func() time.Time) *Instances {
	if now == nil {
		now = time.Now
	}
	return &Instances{store: s, trail: trail, env: env, now: now, defs: map[string]*Definition{}}
}

// SaveDefinition validates def and stores it as a new version: a version
// once saved is never overwritten (409 conflict), because instances run on it.
func (s *Instances) SaveDefinition(ctx context.Context, def Definition) error {
	if err := def.Validate(); err != nil {
		return err
	}
	data, err := store.Encode(def)
	if err != nil {
		return err
	}
	_, err = s.store.Put(ctx, DefinitionCollection, def.ID(), data, 0)
	if errors.Is(err, store.ErrConflict) {
		return problem.Conflict("流程定义的这一版本已存在："+def.ID(), "the definition version exists: "+def.ID())
	}
	return err
}

// Definition returns a stored definition version.
func (s *Instances) Definition(ctx context.Context, key string, version int) (*Definition, error) {
	id := DefinitionID(key, version)
	s.mu.RLock()
	d := s.defs[id]
	s.mu.RUnlock()
	if d != nil {
		return d, nil
	}
	v, _, err := store.Load[Definition](ctx, s.store, DefinitionCollection, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, problem.NotFound("流程定义不存在："+id, "no such flow definition: "+id)
	}
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.defs[id] = &v
	s.mu.Unlock()
	return &v, nil
}

// Get returns an instance and its stored document (version, feed sequence).
func (s *Instances) Get(ctx context.Context, id string) (Instance, store.Doc, error) {
	var in Instance
	doc, err := s.store.Get(ctx, InstanceCollection, id)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return in, store.Doc{}, problem.NotFound("流程实例不存在", "no such flow instance")
	}
	if err == nil {
		err = doc.Decode(&in)
	}
	return in, doc, err
}

// With is what a capability commits with a step: its own writes (the
// document's new state; a write of a document it read carries the version
// it read) and the audit events. It is called with the instance as the
// step leaves it and the history entries the step added, on every attempt.
type With func(in Instance, events []Event) (writes []store.Write, audit []audit.Event, err error)

// Start begins a run of the definition version key@version on a.Subject,
// as a.Actor, with a.ID as the instance's id (a new one: 409 otherwise).
func (s *Instances) Start(ctx context.Context, key string, version int, a Action, with With) (Instance, store.Doc, error) {
	a.Kind = ActStart
	return s.step(ctx, key, version, a.ID, a, with)
}

// Step applies a to the instance id and commits it (with what with adds)
// as one compare-and-set. When another step commits first, it reads again
// and decides again on what that left: two co-signers approving at once
// both succeed; two actions on one task, one wins and the other is
// refused with a 409 (workflow_task_closed, or the instance's state). A
// conflict that persists past the retries is a 409 problem too.
func (s *Instances) Step(ctx context.Context, id string, a Action, with With) (Instance, store.Doc, error) {
	return s.step(ctx, "", 0, id, a, with)
}

func (s *Instances) step(ctx context.Context, key string, version int, id string, a Action, with With) (Instance, store.Doc, error) {
	var out Instance
	var saved store.Doc
	err := store.Retry(ctx, func(ctx context.Context) error {
		var in Instance
		var expect int64
		if a.Kind == ActStart {
			if _, err := s.store.Get(ctx, InstanceCollection, id); err == nil {
				return errExists()
			}
		} else {
			var doc store.Doc
			var err error
			if in, doc, err = s.Get(ctx, id); err != nil {
				return err
			}
			key, version, expect = in.Flow, in.Version, doc.Version
		}
		def, err := s.Definition(ctx, key, version)
		if err != nil {
			return err
		}
		next, events, err := Apply(def, in, a, s.now(), s.env)
		if err != nil {
			return err
		}
		data, err := store.Encode(next)
		if err != nil {
			return err
		}
		writes := []store.Write{{Collection: InstanceCollection, ID: next.ID, Data: data, ExpectVersion: expect}}
		var entries []audit.Event
		if with != nil {
			more, evs, err := with(next, events)
			if err != nil {
				return err
			}
			writes, entries = append(writes, more...), evs
		}
		docs, err := s.commit(ctx, writes, entries)
		if err != nil {
			return err
		}
		out, saved = next, docs[0]
		return nil
	})
	if errors.Is(err, store.ErrConflict) {
		if a.Kind == ActStart {
			return Instance{}, store.Doc{}, errExists()
		}
		return Instance{}, store.Doc{}, problem.Conflict("流程已被他人同时办理，请刷新后重试", "someone acted on the flow at the same time: reload and try again")
	}
	if err != nil {
		return Instance{}, store.Doc{}, err
	}
	return out, saved, nil
}

func errExists() error { return problem.Conflict("流程实例已存在", "the flow instance exists") }

// commit writes with the audit entries through the trail, or without.
func (s *Instances) commit(ctx context.Context, writes []store.Write, entries []audit.Event) ([]store.Doc, error) {
	if len(entries) > 0 {
		if s.trail == nil {
			return nil, errors.New("workflow: audit events given, and no trail")
		}
		return s.trail.Commit(ctx, writes, entries...)
	}
	if len(writes) == 1 {
		d, err := s.store.Put(ctx, writes[0].Collection, writes[0].ID, writes[0].Data, writes[0].ExpectVersion)
		return []store.Doc{d}, err
	}
	return s.store.PutAll(ctx, writes)
}
