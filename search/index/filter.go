package index

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"
)

// ParamError is a bad list or read parameter: an unknown field, a value
// of the wrong kind, a malformed cursor. Param names what the client sent
// wrongly (a field name, "sort", "size", "cursor", "consistentWith"), so
// the HTTP layer can answer 400 and point at it.
type ParamError struct {
	Param  string
	Value  string
	Reason string
}

func (e *ParamError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("index: %s: %s", e.Param, e.Reason)
	}
	return fmt.Sprintf("index: %s=%q: %s", e.Param, e.Value, e.Reason)
}

// paramErr clones param and value: they may come straight from a request
// whose memory the web framework reuses after the handler returns.
func paramErr(param, value, format string, args ...any) *ParamError {
	return &ParamError{Param: strings.Clone(param), Value: strings.Clone(value), Reason: fmt.Sprintf(format, args...)}
}

type op int

const (
	opTerm op = iota + 1
	opTerms
	opPrefix
	opRange
	opMatch
	opNot
)

// Filter restricts a list to the documents that match it. Make one with
// Term, Terms, Prefix, Range, Match or Not; a Query's filters must all
// match. Values are checked against the field's Kind when the list runs,
// so strings straight from a URL are fine.
type Filter struct {
	field    string
	op       op
	values   []string
	min, max any
	not      *Filter
}

// Term matches documents whose field equals value exactly: a keyword, a
// number ("3"), a datetime (RFC 3339) or a bool ("true"/"false").
func Term(field, value string) Filter {
	return Filter{field: field, op: opTerm, values: []string{value}}
}

// Terms matches documents whose field equals any of values (none: nothing
// matches). For keyword fields, or numeric, datetime or bool as in Term.
func Terms(field string, values ...string) Filter {
	return Filter{field: field, op: opTerms, values: append([]string(nil), values...)}
}

// Prefix matches documents whose keyword field starts with prefix.
func Prefix(field, prefix string) Filter {
	return Filter{field: field, op: opPrefix, values: []string{prefix}}
}

// Range matches documents with min <= field < max (half-open, so that
// consecutive ranges never overlap). A nil or "" bound is open. Bounds are
// numbers (int, int64, float64 or a decimal string) for numeric fields,
// time.Time or RFC 3339 strings for datetime fields, strings for keyword
// fields.
func Range(field string, min, max any) Filter {
	return Filter{field: field, op: opRange, min: min, max: max}
}

// Match matches documents whose text field contains every term of text,
// as analysed by the field's analyzer.
func Match(field, text string) Filter {
	return Filter{field: field, op: opMatch, values: []string{text}}
}

// Not matches the documents f does not match.
func Not(f Filter) Filter {
	return Filter{field: f.field, op: opNot, not: &f}
}

// Query is f as a Bleve query on an index mapped by m, for a caller that
// builds its own search request (the search API's Find): a *ParamError
// when f names a field m lacks or a value of the wrong kind.
func (f Filter) Query(m *Mapping) (query.Query, error) { return f.query(m) }

func (f Filter) query(m *Mapping) (query.Query, error) {
	if f.op == opNot {
		inner, err := f.not.query(m)
		if err != nil {
			return nil, err
		}
		return query.NewBooleanQuery([]query.Query{query.NewMatchAllQuery()}, nil, []query.Query{inner}), nil
	}
	kind, ok := m.KindOf(f.field)
	if !ok {
		return nil, paramErr(f.field, "", "not a field of this index")
	}
	switch f.op {
	case opTerm:
		return termQuery(f.field, kind, f.values[0])
	case opTerms:
		if len(f.values) == 0 {
			return query.NewMatchNoneQuery(), nil
		}
		qs := make([]query.Query, 0, len(f.values))
		for _, v := range f.values {
			q, err := termQuery(f.field, kind, v)
			if err != nil {
				return nil, err
			}
			qs = append(qs, q)
		}
		return query.NewDisjunctionQuery(qs), nil
	case opPrefix:
		if kind != Keyword {
			return nil, paramErr(f.field, f.values[0], "prefix filters need a keyword field, this one is %s", kind)
		}
		q := query.NewPrefixQuery(f.values[0])
		q.SetField(f.field)
		return q, nil
	case opRange:
		return rangeQuery(f.field, kind, f.min, f.max)
	case opMatch:
		if kind != Text {
			return nil, paramErr(f.field, f.values[0], "match filters need a text field, this one is %s", kind)
		}
		q := query.NewMatchQuery(f.values[0])
		q.SetField(f.field)
		q.SetOperator(query.MatchQueryOperatorAnd)
		return q, nil
	}
	return nil, fmt.Errorf("index: filter on %q was not made with a filter constructor", f.field)
}

var yes, no = true, false

func termQuery(field string, kind Kind, v string) (query.Query, error) {
	switch kind {
	case Keyword:
		q := query.NewTermQuery(v)
		q.SetField(field)
		return q, nil
	case Numeric:
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, paramErr(field, v, "not a number")
		}
		q := query.NewNumericRangeInclusiveQuery(&n, &n, &yes, &yes)
		q.SetField(field)
		return q, nil
	case Datetime:
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return nil, paramErr(field, v, "not an RFC 3339 date-time")
		}
		q := query.NewDateRangeInclusiveQuery(t, t, &yes, &yes)
		q.SetField(field)
		return q, nil
	case Bool:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, paramErr(field, v, "not true or false")
		}
		q := query.NewBoolFieldQuery(b)
		q.SetField(field)
		return q, nil
	}
	return nil, paramErr(field, v, "exact filters need a keyword, numeric, datetime or bool field; use Match for text")
}

func rangeQuery(field string, kind Kind, min, max any) (query.Query, error) {
	if isOpen(min) && isOpen(max) {
		return nil, paramErr(field, "", "a range needs at least one bound")
	}
	switch kind {
	case Numeric:
		return boundedRange(field, min, max, toFloat, numericRange)
	case Datetime:
		// A zero time is an open bound for Bleve.
		return boundedRange(field, min, max, toTime, dateRange)
	case Keyword:
		return boundedRange(field, min, max, toString, termRange)
	}
	return nil, paramErr(field, "", "range filters need a numeric, datetime or keyword field, this one is %s", kind)
}

// boundedRange is a range query on field from min to max (min included),
// each bound converted by convert for the field's kind and the query made
// by build.
func boundedRange[T any](field string, min, max any, convert func(field string, v any) (T, error),
	build func(lo, hi T) query.FieldableQuery) (query.Query, error) {
	lo, err := convert(field, min)
	if err != nil {
		return nil, err
	}
	hi, err := convert(field, max)
	if err != nil {
		return nil, err
	}
	q := build(lo, hi)
	q.SetField(field)
	return q, nil
}

func numericRange(lo, hi *float64) query.FieldableQuery {
	return query.NewNumericRangeInclusiveQuery(lo, hi, &yes, &no)
}

func dateRange(lo, hi time.Time) query.FieldableQuery {
	return query.NewDateRangeInclusiveQuery(lo, hi, &yes, &no)
}

func termRange(lo, hi string) query.FieldableQuery {
	return query.NewTermRangeInclusiveQuery(lo, hi, &yes, &no)
}

func toFloat(field string, v any) (*float64, error) {
	var f float64
	switch v := v.(type) {
	case nil:
		return nil, nil
	case int:
		f = float64(v)
	case int64:
		f = float64(v)
	case float64:
		f = v
	case string:
		if v == "" {
			return nil, nil
		}
		var err error
		if f, err = strconv.ParseFloat(v, 64); err != nil {
			return nil, paramErr(field, v, "not a number")
		}
	default:
		return nil, paramErr(field, fmt.Sprint(v), "range bound of type %T on a numeric field", v)
	}
	return &f, nil
}

func toTime(field string, v any) (time.Time, error) {
	switch v := v.(type) {
	case nil:
		return time.Time{}, nil
	case time.Time:
		return v, nil
	case string:
		if v == "" {
			return time.Time{}, nil
		}
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return time.Time{}, paramErr(field, v, "not an RFC 3339 date-time")
		}
		return t, nil
	}
	return time.Time{}, paramErr(field, fmt.Sprint(v), "range bound of type %T on a datetime field", v)
}

func toString(field string, v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	}
	return "", paramErr(field, fmt.Sprint(v), "range bound of type %T on a keyword field", v)
}

func isOpen(bound any) bool {
	switch b := bound.(type) {
	case nil:
		return true
	case string:
		return b == ""
	case time.Time:
		return b.IsZero()
	}
	return false
}
