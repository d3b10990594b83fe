// Package records is what every office capability does with its documents,
// written once: a typed collection whose reads check the reader's access,
// whose changes commit with their audit entries, and whose lists come from
// a Bleve index fed from the change feed with the reader's rights in the
// query.
//
// A capability opens one Collection per kind of document (Open, with a
// Config) and calls
//
//	Get      read by id: 404 for a missing document and an unreadable one alike
//	Create   a new document (a new id if it has none) with its audit entry
//	Put      a document written at the version the caller read (an edit)
//	Step     one change as a compare-and-set, retried, committed with its
//	         entry; access checked first, a refused step recorded as a failure
//	Refused  record a refusal the capability decided before any change
//	List     a page from the index: readers, clearance, sort, cursor,
//	         ?consistentWith=, decoded into the type (ListAs: into another)
//
// and answers a Page[T] for a list and a View[T] (the document with its
// version and feed sequence: ViewOf) for a document; the API description
// names them after T (records.Page[leave.Request] → LeaveRequestPage).
//
// The document type T is a struct whose JSON has a string "id" (the
// document's id). Its access function (auth.Access: 密级 and readers) is
// the one rule every way to the document decides with. Every answer is a
// problem error or an internal one; nothing is written half.
package records

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"time"

	"zhengwu/search/feed"
	"zhengwu/search/index"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Deps is what a collection needs from the process; a capability that
// needs nothing more takes this as its own Deps (type Deps = records.Deps).
type Deps struct {
	Store    store.Store
	Trail    *audit.Trail
	Now      func() time.Time // default time.Now
	Log      *slog.Logger     // default slog.Default()
	IndexDir string           // the list index's directory
}

// Noun names the document in messages: {"请假申请", "leave request"} makes
// the 404 "请假申请不存在" / "no such leave request".
type Noun struct{ Zh, En string }

// Config says what a collection holds and who may read each document.
type Config[T any] struct {
	Deps
	Collection string // the store collection
	Noun       Noun
	// Access is who may read a document (info.AccessOf, leave.AccessOf).
	Access func(*T) auth.Access
	// Mapping is the list index's mapping; nil: MappingOf[T](). The
	// collection adds the fields its lists filter on, "readers" and
	// "classRank".
	Mapping *index.Mapping
	// Project is a document's fields in the list index; nil: its JSON.
	// nil from Project leaves the document out of the lists.
	Project func(*T) map[string]any
	// Writes are further writes committed with every change of a document
	// (attachment references: attachment.Writes).
	Writes func(*T) []store.Write
}

// Actor is who acts, from where: what an audit entry names.
type Actor struct {
	P  *auth.Principal
	IP string
}

// Collection is a capability's documents of one type. Its list index is a
// feed.ListIndex: Start, Close, Notify, CatchUp and ConsistentWith are the
// index's (what the module table and officetest.Env.Mount want).
type Collection[T any] struct {
	*feed.ListIndex
	cfg     Config[T]
	mapping *index.Mapping
	id      []int // the index of T's "id" field
}

// Open opens the collection and its list index; Start feeds the index.
func Open[T any](c Config[T]) (*Collection[T], error) {
	if c.Store == nil || c.Trail == nil || c.Collection == "" || c.Access == nil || c.Noun.Zh == "" {
		return nil, errors.New("records: Store, Trail, Collection, Noun and Access are required")
	}
	fields := fieldsOf(reflect.TypeFor[T]())
	id, ok := fields["id"]
	if !ok || id.typ.Kind() != reflect.String {
		return nil, fmt.Errorf("records: %v has no string field with the JSON name id", reflect.TypeFor[T]())
	}
	for _, name := range []string{"version", "seq"} {
		if _, ok := fields[name]; ok {
			return nil, fmt.Errorf("records: %v has a field with the JSON name %s, which its View adds", reflect.TypeFor[T](), name)
		}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	m := c.Mapping
	if m == nil {
		m = MappingOf[T]()
	}
	if _, ok := m.KindOf(fReaders); !ok {
		m.Keyword(fReaders)
	}
	if _, ok := m.KindOf(fClassRank); !ok {
		m.Numeric(fClassRank)
	}
	col := &Collection[T]{cfg: c, mapping: m, id: id.index}
	list, err := feed.OpenListIndex(feed.ListIndexConfig{Store: c.Store, Dir: c.IndexDir, Mapping: m,
		Collections: []string{c.Collection}, Project: col.project, Logger: c.Log})
	if err != nil {
		return nil, err
	}
	col.ListIndex = list
	return col, nil
}

// Now is the collection's clock, in UTC.
func (c *Collection[T]) Now() time.Time { return c.cfg.Now().UTC() }

func (c *Collection[T]) notFound() error {
	return problem.NotFound(c.cfg.Noun.Zh+"不存在", "no such "+c.cfg.Noun.En)
}

// Empty reports whether the collection holds no document yet (demo data
// is seeded only then).
func (c *Collection[T]) Empty(ctx context.Context) (bool, error) {
	docs, err := c.cfg.Store.Scan(ctx, c.cfg.Collection, "", 1)
	return len(docs) == 0, err
}
