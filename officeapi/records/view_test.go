package records_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/openapi"
	"zhengwu/shared/testkit"
)

// embedded is how a capability wrote its view before records.View: the
// document embedded, then version and seq.
type embedded struct {
	note
	Version int64 `json:"version"`
	Seq     int64 `json:"seq"`
}

// A View's JSON and schema are those of the document embedded with its
// version and seq, so that answering records.View changes no API.
func TestViewIsTheDocumentWithVersionAndSeq(t *testing.T) {
	done := time.Date(2026, 4, 7, 9, 30, 0, 0, time.UTC)
	for _, n := range []note{
		{},
		{ID: "n1", Department: "xinxi", Owner: "<u&1>", Level: classification.Mimi, Tags: []string{"甲", "乙"},
			Count: 3, Done: true, CreatedAt: done, DoneAt: &done},
	} {
		v := records.View[note]{Document: n, Version: 4, Seq: 812}
		got, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(embedded{note: n, Version: 4, Seq: 812})
		if string(got) != string(want) {
			t.Fatalf("view:\n%s\nwant\n%s", got, want)
		}
		var back records.View[note]
		if err := json.Unmarshal(got, &back); err != nil || !reflect.DeepEqual(back, v) {
			t.Fatalf("read back %+v, %v; want %+v", back, err, v)
		}
	}
	if got, _ := json.Marshal(records.View[struct{}]{Version: 1, Seq: 2}); string(got) != `{"version":1,"seq":2}` {
		t.Fatalf("view of an empty object: %s", got)
	}
	if _, err := json.Marshal(records.View[[]string]{}); err == nil {
		t.Fatal("the view of a list was written")
	}

	doc := openapi.API{Title: "t", Ops: []openapi.Op{
		{Method: "GET", Path: "/a", OK: 200, Resp: records.View[note]{}},
		{Method: "GET", Path: "/b", OK: 200, Resp: embedded{}},
	}}.Document()
	schemas := doc["components"].(openapi.Obj)["schemas"].(openapi.Obj)
	view, old := schemas[openapi.Name(reflect.TypeFor[records.View[note]]())], schemas[openapi.Name(reflect.TypeFor[embedded]())]
	if view == nil || !reflect.DeepEqual(view, old) {
		t.Fatalf("schema of the view:\n%v\nwant\n%v", view, old)
	}
}

func TestOpenRefusesWhatAViewAdds(t *testing.T) {
	k := testkit.New(t)
	type versioned struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
	}
	_, err := records.Open(records.Config[versioned]{Deps: records.Deps{Store: k.Store, Trail: k.Trail, IndexDir: k.Dir},
		Collection: "x", Noun: records.Noun{Zh: "某", En: "x"}, Access: func(*versioned) auth.Access { return auth.Access{} }})
	if err == nil {
		t.Fatal("a type with its own version opened")
	}
}
