package records

import (
	"encoding/json"
	"fmt"

	"zhengwu/shared/store"
)

// View is a document as an API answers it: the document's fields, its
// store version (sent back with an edit) and the feed sequence of the
// write that made it (passed to a list as ?consistentWith= to read one's
// own write), in one JSON object: {"id": …, …, "version": 3, "seq": 812}.
//
// Go cannot embed a type parameter, so the document is a field whose JSON
// is spliced into the view's (MarshalJSON) and whose schema is inlined
// (the inline tag, which the OpenAPI reflector follows). T's JSON is an
// object without the fields version and seq (Open refuses such a T).
type View[T any] struct {
	Document T     `json:",inline"`
	Version  int64 `json:"version"`
	Seq      int64 `json:"seq"`
}

// ViewOf is the view of what Get, Create, Put and Step return:
// return records.ViewOf(s.requests.Get(ctx, p, id)).
func ViewOf[T any](v T, doc store.Doc, err error) (View[T], error) {
	if err != nil {
		return View[T]{}, err
	}
	return View[T]{Document: v, Version: doc.Version, Seq: doc.Seq}, nil
}

// MarshalJSON writes the document's fields, then version and seq.
func (v View[T]) MarshalJSON() ([]byte, error) {
	doc, err := json.Marshal(v.Document)
	if err != nil {
		return nil, err
	}
	if len(doc) < 2 || doc[0] != '{' || doc[len(doc)-1] != '}' {
		return nil, fmt.Errorf("records: the view of a %T that is no JSON object", v.Document)
	}
	out := append([]byte{}, doc[:len(doc)-1]...)
	if len(doc) > 2 {
		out = append(out, ',')
	}
	return fmt.Appendf(out, `"version":%d,"seq":%d}`, v.Version, v.Seq), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (v *View[T]) UnmarshalJSON(data []byte) error {
	var meta struct {
		Version int64 `json:"version"`
		Seq     int64 `json:"seq"`
	}
	if err := json.Unmarshal(data, &meta); err != nil {
		return err
	}
	if err := json.Unmarshal(data, &v.Document); err != nil {
		return err
	}
	v.Version, v.Seq = meta.Version, meta.Seq
	return nil
}
