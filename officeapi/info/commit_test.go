package info

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"zhengwu/officeapi/records"
	"zhengwu/shared/audit"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// auditDown is a store whose audit trail cannot be written: any write
// that carries an audit entry fails, as a full disk or a lost primary
// would fail it.
type auditDown struct{ store.Store }

var errAuditDown = errors.New("audit collection unavailable")

func (s auditDown) Put(ctx context.Context, c, id string, data []byte, v int64) (store.Doc, error) {
	if c == audit.Collection {
		return store.Doc{}, errAuditDown
	}
	return s.Store.Put(ctx, c, id, data, v)
}

func (s auditDown) PutAll(ctx context.Context, ws []store.Write) ([]store.Doc, error) {
	for _, w := range ws {
		if w.Collection == audit.Collection {
			return nil, errAuditDown
		}
	}
	return s.Store.PutAll(ctx, ws)
}

// #10: "An audit write that fails is only logged and the change still
// returns 201; after kill -9 two committed documents had no audit entry."
// A change and its entry are one write now: when the entry cannot be
// written, neither is the change.
func TestNoChangeWithoutItsAuditEntry(t *testing.T) {
	k := testkit.New(t)
	s, err := New(Deps{Deps: records.Deps{Store: k.Store, Trail: audit.New(auditDown{k.Store}, k.Clock.Now), Now: k.Clock.Now,
		Log: k.Log, IndexDir: filepath.Join(k.Dir, "index")}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	editor := testkit.Principal("u-editor", classification.Mimi, []string{"xinxi"}, testkit.Holds(PermEdit, "xinxi"))
	_, err = s.Create(context.Background(), Actor{P: &editor, IP: "test"}, Input{Department: "xinxi", Kind: KindUpdate,
		Title: "防汛工作动态", Classification: classification.Feimi, Audience: AudienceOffice})
	if !errors.Is(err, errAuditDown) {
		t.Fatalf("create with the audit trail down: %v", err)
	}
	if docs, err := k.Store.Scan(context.Background(), Collection, "", 10); err != nil || len(docs) != 0 {
		t.Fatalf("the item was stored without its audit entry: %d documents, %v", len(docs), err)
	}
}
