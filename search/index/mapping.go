package index

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// Kind is how a field is indexed, which decides the filters, sorts and
// facets it supports.
type Kind int

// The field kinds a Mapping knows.
const (
	// Keyword is an exact string: filters (Term, Terms, Prefix, Range),
	// sorting and facets. Sorting compares UTF-8 bytes, so Chinese strings
	// sort by code point, not by pinyin or stroke count.
	Keyword Kind = iota + 1
	// Text is analysed full text: Match filters only.
	Text
	// Numeric is a float64 (integers up to 2^53 are exact): Term, Range, sort.
	Numeric
	// Datetime is a point in time (time.Time or an RFC 3339 string): Term,
	// Range, sort.
	Datetime
	// Bool is true or false: Term ("true"/"false"), facets.
	Bool
)

func (k Kind) String() string {
	switch k {
	case Keyword:
		return "keyword"
	case Text:
		return "text"
	case Numeric:
		return "numeric"
	case Datetime:
		return "datetime"
	case Bool:
		return "bool"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Fields every indexed document carries, set by Apply from the Upsert
// rather than by the projection. They start with "_" so that no entity
// field can collide with them.
const (
	// VersionField is the store version the indexed document was made from;
	// reconciliation compares it with the store.
	VersionField = "_version"
	// CollectionField is the store collection the document came from, so
	// that one index may hold several collections.
	CollectionField = "_collection"
	// KeyField is the document's id again, as a column (doc values, not
	// stored) that breaks ties in every sort ("_id" in a Query's Sort means
	// it). Sorting by Bleve's own _id reads each match's id from the
	// stored fields, one page of the index file per match: a search for a
	// common word touched every stored page of the index, which then stayed
	// resident (issue 16 item 7); a column is read only for the values it
	// compares.
	KeyField = "_key"
)

type field struct {
	path     string
	kind     Kind
	analyzer string
	fullText bool // FullText: searched, not listed
	noStore  bool
	// noDocValues: never sorted or faceted (Unsorted).
	noDocValues bool
	// noVectors: a Text field without term positions (Unpositioned).
	noVectors bool
}

// Mapping says which fields of a projected document are indexed and how.
// Fields not named are ignored: the projection decides what an index holds,
// and nothing is indexed by accident. Every named field is stored (except
// a FullText field made with store false, and those named by Unstored), so
// that List can return it without reading the store.
//
// Build one with NewMapping and the chained field methods; a mistake (a
// duplicate or reserved name) is reported by Open.
type Mapping struct {
	fields   []field
	byPath   map[string]Kind
	revision string
	bm25     bool
	err      error
}

// BM25 scores the full-text fields with Okapi BM25 (Bleve's k1 1.2, b
// 0.75) instead of Bleve's default TF-IDF. BM25's term frequency
// saturates, and a field's length counts against the field's average
// length rather than as 1/√length, so a long title holding every typed
// word is not ranked below a short one holding the same words as steeply
// (issue 15: typed words MRR@10 0.854 → 0.863 and recall@10 0.98 → 0.99
// on the development set; the other kinds unchanged). The model is part of
// the fingerprint: an index built with the other one is rebuilt by Open.
func (m *Mapping) BM25() *Mapping {
	m.bm25 = true
	return m
}

// Revise names a revision of what the index holds beyond its fields: an
// index built under another revision is rebuilt by Open, as one built
// with other fields is. Bump it when the projection into the index
// changes its meaning without changing its fields, such as the rule that
// computes a document's readers: the stale readers would otherwise stay
// in the totals and facets until each document is written again.
func (m *Mapping) Revise(revision string) *Mapping {
	m.revision = revision
	return m
}

// NewMapping starts an empty mapping.
func NewMapping() *Mapping {
	m := &Mapping{byPath: map[string]Kind{}}
	// The reserved fields are part of every mapping so that they can be
	// filtered on like any other.
	m.fields = append(m.fields, field{path: VersionField, kind: Numeric}, field{path: CollectionField, kind: Keyword},
		field{path: KeyField, kind: Keyword, noStore: true})
	m.byPath[VersionField], m.byPath[CollectionField], m.byPath[KeyField] = Numeric, Keyword, Keyword
	return m
}

// Keyword adds an exact-string field. path may be dotted ("author.dept").
func (m *Mapping) Keyword(path string) *Mapping { return m.add(field{path: path, kind: Keyword}) }

// Text adds an analysed full-text field, using the named Bleve analyzer
// ("" means Bleve's "standard"; a Chinese analyzer registered with Bleve's
// registry can be named here).
func (m *Mapping) Text(path, analyzer string) *Mapping {
	if analyzer == "" {
		analyzer = standard.Name
	}
	return m.add(field{path: path, kind: Text, analyzer: analyzer})
}

// FullText adds an analysed text field that is searched by relevance
// rather than listed: without doc values (it is never sorted or faceted)
// and not copied into Bleve's composite _all field (full-text queries name
// their fields), which makes indexing long text markedly cheaper. It keeps
// term vectors for phrase queries and highlighting, and is stored when
// store is true (needed to highlight or return it). Its Kind is Text.
func (m *Mapping) FullText(path, analyzer string, store bool) *Mapping {
	if analyzer == "" {
		analyzer = standard.Name
	}
	return m.add(field{path: path, kind: Text, analyzer: analyzer, fullText: true, noStore: !store})
}

// Numeric adds a number field.
func (m *Mapping) Numeric(path string) *Mapping { return m.add(field{path: path, kind: Numeric}) }

// Datetime adds a date-time field.
func (m *Mapping) Datetime(path string) *Mapping { return m.add(field{path: path, kind: Datetime}) }

// Bool adds a boolean field.
func (m *Mapping) Bool(path string) *Mapping { return m.add(field{path: path, kind: Bool}) }

// Unstored keeps no copy of the named fields' values: they are still
// indexed, and filtered and sorted on, but a hit cannot return them. For
// an index whose hits are read for a few fields only (the portal's list
// index, now that lists are served from memory: issue 16 item 7).
func (m *Mapping) Unstored(paths ...string) *Mapping {
	return m.each(paths, func(f *field) { f.noStore = true })
}

// Stored keeps a copy of the named fields' values after all (a FullText
// field made with store false): the inverse of Unstored, for a test that
// compares with an index that kept them.
func (m *Mapping) Stored(paths ...string) *Mapping {
	return m.each(paths, func(f *field) { f.noStore = false })
}

// Unsorted gives the named fields no doc values: they are filtered on but
// never sorted or faceted by (nor used in a cursor).
func (m *Mapping) Unsorted(paths ...string) *Mapping {
	return m.each(paths, func(f *field) { f.noDocValues = true })
}

// Unpositioned keeps no term positions (term vectors) for the named text
// fields: they are still matched term by term and scored the same (a
// posting's frequency and the field's length do not need positions), but
// a phrase query on them finds nothing and they cannot be highlighted.
// For text fields only term, prefix and fuzzy queries read (the title's
// prefixes, the document number: issue 16 item 7).
func (m *Mapping) Unpositioned(paths ...string) *Mapping {
	return m.each(paths, func(f *field) {
		if f.kind != Text {
			m.err = errors.Join(m.err, fmt.Errorf("index mapping: field %q has no positions to drop: not text", f.path))
		}
		f.noVectors = true
	})
}

func (m *Mapping) each(paths []string, set func(*field)) *Mapping {
	for _, p := range paths {
		i := slices.IndexFunc(m.fields, func(f field) bool { return f.path == p })
		switch {
		case i < 0:
			m.err = errors.Join(m.err, fmt.Errorf("index mapping: field %q is not mapped", p))
		case strings.HasPrefix(p, "_"):
			m.err = errors.Join(m.err, fmt.Errorf("index mapping: reserved field %q must be stored", p))
		default:
			set(&m.fields[i])
		}
	}
	return m
}

// trimmedRead says what a request may not read of the field at path: its
// stored value (Unstored, or a FullText field without store) or its doc
// values (Unsorted, FullText); "" when it may read both or the field is
// not mapped (Bleve then answers nothing, as it always has).
func (m *Mapping) trimmedRead(path string, stored bool) string {
	i := slices.IndexFunc(m.fields, func(f field) bool { return f.path == path })
	if i < 0 {
		return ""
	}
	f := m.fields[i]
	switch {
	case stored && f.noStore:
		return "keeps no stored value"
	case !stored && (f.noDocValues || f.fullText):
		return "has no doc values"
	}
	return ""
}

// KindOf reports how the field at path is indexed.
func (m *Mapping) KindOf(path string) (Kind, bool) {
	k, ok := m.byPath[path]
	return k, ok
}

func (m *Mapping) add(f field) *Mapping {
	switch {
	case f.path == "" || strings.HasPrefix(f.path, ".") || strings.HasSuffix(f.path, ".") || strings.Contains(f.path, ".."):
		m.err = errors.Join(m.err, fmt.Errorf("index mapping: bad field path %q", f.path))
	case strings.HasPrefix(f.path, "_"):
		m.err = errors.Join(m.err, fmt.Errorf("index mapping: field %q: names starting with _ are reserved", f.path))
	case m.byPath[f.path] != 0:
		m.err = errors.Join(m.err, fmt.Errorf("index mapping: field %q mapped twice", f.path))
	default:
		m.fields = append(m.fields, f)
		m.byPath[f.path] = f.kind
	}
	return m
}

// bleve turns the mapping into Bleve's: one static default document
// mapping, so that documents of any type are mapped the same way and
// unnamed properties are neither indexed nor stored.
func (m *Mapping) bleve() (*mapping.IndexMappingImpl, error) {
	if m.err != nil {
		return nil, m.err
	}
	root := mapping.NewDocumentStaticMapping()
	for _, f := range m.fields {
		parts := strings.Split(f.path, ".")
		dm := root
		for _, p := range parts[:len(parts)-1] {
			sub, ok := dm.Properties[p]
			if !ok {
				sub = mapping.NewDocumentStaticMapping()
				dm.AddSubDocumentMapping(p, sub)
			}
			dm = sub
		}
		dm.AddFieldMappingsAt(parts[len(parts)-1], fieldMapping(f))
	}
	im := mapping.NewIndexMapping()
	im.DefaultMapping = root
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false
	if m.bm25 {
		im.ScoringModel = bleveindex.BM25Scoring
	}
	// No property of our documents selects a type mapping.
	im.TypeField = "_bleveType"
	if err := im.Validate(); err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	return im, nil
}

func fieldMapping(f field) *mapping.FieldMapping {
	var fm *mapping.FieldMapping
	switch f.kind {
	case Keyword:
		fm = mapping.NewKeywordFieldMapping()
		fm.Analyzer = keyword.Name
	case Text:
		fm = mapping.NewTextFieldMapping()
		fm.Analyzer = f.analyzer
		// Term vectors serve phrase queries and highlighting of text.
		fm.IncludeTermVectors = true
	case Numeric:
		fm = mapping.NewNumericFieldMapping()
	case Datetime:
		fm = mapping.NewDateTimeFieldMapping()
	case Bool:
		fm = mapping.NewBooleanFieldMapping()
	}
	fm.Store, fm.Index = true, true
	// Doc values serve sorting and facets; list fields are never scored by
	// their position, so they need no term vectors.
	fm.DocValues = true
	if f.kind != Text {
		fm.IncludeTermVectors = false
	}
	fm.IncludeInAll = f.kind == Text
	if f.fullText {
		fm.DocValues, fm.IncludeInAll = false, false
	}
	fm.Store = !f.noStore
	fm.DocValues = fm.DocValues && !f.noDocValues
	fm.IncludeTermVectors = fm.IncludeTermVectors && !f.noVectors
	return fm
}

// fingerprint identifies the mapping, so that Open can tell an index built
// with a different mapping and rebuild it.
func fingerprint(im *mapping.IndexMappingImpl, revision string) (string, error) {
	b, err := json.Marshal(im)
	if err != nil {
		return "", err
	}
	if revision != "" {
		b = append(append(b, 0), revision...)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
