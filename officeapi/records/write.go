package records

import (
	"context"
	"errors"
	"net/http"
	"reflect"

	"github.com/google/uuid"

	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Get returns the document if p may read it; otherwise the 404 of a
// missing one, so that a reader cannot tell the two apart. The store.Doc
// carries its version and the feed sequence of the write that made it.
func (c *Collection[T]) Get(ctx context.Context, p *auth.Principal, id string) (T, store.Doc, error) {
	var v T
	doc, err := c.cfg.Store.Get(ctx, c.cfg.Collection, id)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return v, store.Doc{}, c.notFound()
	}
	if err == nil {
		err = doc.Decode(&v)
	}
	if err == nil && !c.cfg.Access(&v).Allows(p) {
		err = c.notFound()
	}
	if err != nil {
		var zero T
		return zero, store.Doc{}, err
	}
	return v, doc, nil
}

// Create writes a new document, giving it a new id if it has none, with
// the audit entry of a's action (details recorded with it).
func (c *Collection[T]) Create(ctx context.Context, a Actor, action string, v T, details map[string]any) (T, store.Doc, error) {
	if id := reflect.ValueOf(&v).Elem().FieldByIndex(c.id); id.String() == "" {
		id.SetString(uuid.NewString())
	}
	return c.Put(ctx, a, action, v, 0, details)
}

// Put writes v at version (the one the caller read; 0: v is new) with its
// audit entry: store.ErrConflict if another write came first. It decides
// nothing: check access and state before (Get), or use Step. Like every
// call here, it returns the zero T with an error.
func (c *Collection[T]) Put(ctx context.Context, a Actor, action string, v T, version int64, details map[string]any) (T, store.Doc, error) {
	var zero T
	data, err := store.Encode(v)
	if err != nil {
		return zero, store.Doc{}, err
	}
	id := c.idOf(&v)
	writes := []store.Write{{Collection: c.cfg.Collection, ID: id, Data: data, ExpectVersion: version}}
	if c.cfg.Writes != nil {
		writes = append(writes, c.cfg.Writes(&v)...)
	}
	docs, err := c.cfg.Trail.Commit(ctx, writes, audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: action,
		Target: c.cfg.Collection + "/" + id, Outcome: audit.Success, Details: details})
	if err != nil {
		return zero, store.Doc{}, err
	}
	c.Notify()
	return v, docs[0], nil
}

// Step applies change to the document id as a, committed with its audit
// entry (change returns the details to record) as a compare-and-set:
// when another write comes first, it reads again and change decides again
// on what that left. A document a may not read is the 404 of a missing one,
// before change runs; a problem change returns is recorded as a refusal.
func (c *Collection[T]) Step(ctx context.Context, a Actor, action, id string, change func(*T) (map[string]any, error)) (T, store.Doc, error) {
	var out T
	var saved store.Doc
	err := store.Retry(ctx, func(ctx context.Context) error {
		v, doc, err := c.Get(ctx, a.P, id)
		if err != nil {
			return err
		}
		details, err := change(&v)
		if err != nil {
			return c.Refused(ctx, a, action, c.cfg.Collection+"/"+id, err)
		}
		out, saved, err = c.Put(ctx, a, action, v, doc.Version, details)
		return err
	})
	if err != nil {
		var zero T
		return zero, store.Doc{}, err
	}
	return out, saved, nil
}

// Refused records that a was refused action on target (an audit target:
// "collection/id"), and returns err: return c.Refused(…, problem.Forbidden()).
// Only problems are recorded, and not a 404, which says no more than that
// a found nothing. The entry's reason is the problem's code.
func (c *Collection[T]) Refused(ctx context.Context, a Actor, action, target string, err error) error {
	p := problem.As(err)
	if p == nil || p.Status == http.StatusNotFound {
		return err
	}
	if _, aerr := c.cfg.Trail.Record(ctx, audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: action, Target: target,
		Outcome: audit.Failure, Reason: p.Code, Details: map[string]any{"message": p.Zh}}); aerr != nil {
		c.cfg.Log.Error("audit of a refusal failed", "action", action, "err", aerr)
	}
	return err
}

func (c *Collection[T]) idOf(v *T) string {
	return reflect.ValueOf(v).Elem().FieldByIndex(c.id).String()
}
