package query

import (
	"time"

	"zhengwu/search/analysis"
	"zhengwu/search/index"
)

// Field names of the search index (the JSON names of Doc).
const (
	FieldTitle       = "title"
	FieldTitlePrefix = "titlePrefix"
	FieldDocNumber   = "docNumber"
	// FieldDocPrefix holds the starts of a document's number by which a
	// searcher lists an issuer's documents (analysis.DocNumberPrefixes:
	// 皖政办, 皖政办2026); Prepare derives it from DocNumber.
	FieldDocPrefix      = "docPrefix"
	FieldSummary        = "summary"
	FieldBody           = "body"
	FieldAttachmentText = "attachmentText"
	FieldChannel        = "channel"
	FieldType           = "type"
	FieldIssuer         = "issuer"
	FieldDepartment     = "department"
	FieldYear           = "year"
	FieldPublishedAt    = "publishedAt"
	FieldIssuedAt       = "issuedAt"
	FieldValidity       = "validity"
	FieldVisibility     = "visibility"
	FieldClass          = "classification"
	FieldReaders        = "readers"
	// FieldStatus marks a document that is still findable but withdrawn
	// ("withdrawn"); absent otherwise.
	FieldStatus = "status"
	// The fields of an office document that moves through a workflow (a
	// 公文): its state, who holds it now, who drafted it, and the earliest
	// deadline of its open tasks (overdue is due < now, asked at query
	// time: being late changes with the clock, not with a write).
	FieldState   = "state"
	FieldHolders = "holders"
	FieldOwner   = "owner"
	FieldDue     = "due"
)

// Doc is one document of a search index (portal or office), the projection
// the feed consumer indexes. Call Prepare before indexing it.
type Doc struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// TitlePrefix repeats Title for autocomplete (analyzed with
	// analysis.PrefixAnalyzer); Prepare sets it.
	TitlePrefix string `json:"titlePrefix,omitempty"`
	// DocNumber is the 文号 as written (皖政办〔2026〕12号); the index holds
	// its normalised form (analysis.DocNumber), so any spelling finds it.
	DocNumber string `json:"docNumber,omitempty"`
	// DocPrefix is analysis.DocNumberPrefixes(DocNumber); Prepare sets it.
	DocPrefix      []string `json:"docPrefix,omitempty"`
	Summary        string   `json:"summary,omitempty"`
	Body           string   `json:"body,omitempty"`
	AttachmentText string   `json:"attachmentText,omitempty"`
	Channel        string   `json:"channel,omitempty"`
	Type           string   `json:"type,omitempty"`
	Issuer         string   `json:"issuer,omitempty"`
	Department     string   `json:"department,omitempty"`
	// Year is the year of publication as text ("2026"), for the year facet;
	// Prepare derives it from PublishedAt when empty.
	Year        string     `json:"year,omitempty"`
	PublishedAt *time.Time `json:"publishedAt,omitempty"`
	IssuedAt    *time.Time `json:"issuedAt,omitempty"`
	// Validity is the document's legal state (有效, 失效, 废止, 修订).
	Validity string `json:"validity,omitempty"`
	// Visibility is who may read a portal document: "public" or
	// "internal" (signed-in staff).
	Visibility string `json:"visibility,omitempty"`
	// Classification is the 密级 level (0 unclassified); a reader sees a
	// document only when it is at most their clearance.
	Classification int `json:"classification"`
	// Readers are an office document's reader tokens (auth.Access): a
	// reader holding one of them, with the clearance, may find it.
	Readers []string `json:"readers,omitempty"`
	// State, Holders, Owner and Due are a workflow document's (FieldState
	// and after): absent for the others.
	State   string     `json:"state,omitempty"`
	Holders []string   `json:"holders,omitempty"`
	Owner   string     `json:"owner,omitempty"`
	Due     *time.Time `json:"due,omitempty"`
}

// Prepare fills the fields derived from others (TitlePrefix, DocPrefix,
// Year).
func (d *Doc) Prepare() {
	d.TitlePrefix = d.Title
	d.DocPrefix = analysis.DocNumberPrefixes(d.DocNumber)
	if d.Year == "" && d.PublishedAt != nil && !d.PublishedAt.IsZero() {
		d.Year = d.PublishedAt.Format("2006")
	}
}

// Mapping is the mapping of the portal and office search indexes, with
// Zhengwu's Chinese analyzer (analysis.Analyzer) on the text fields.
// Scored with Bleve's TF-IDF: BM25 (index.Mapping.BM25) raised typed
// words' MRR@10 from 0.854 to 0.863 but its phrase queries' p99 was 1.2–3×
// this one's in every paired run (issue 15); it waits for a profile.
func Mapping() *index.Mapping { return MappingWith(analysis.Analyzer) }

// MappingWith is Mapping with another analyzer on the full-text fields
// (title, summary, body, attachmentText): the relevance harness uses it to
// measure candidates through the same path.
func MappingWith(textAnalyzer string) *index.Mapping {
	return Trimmed.Apply(FullMapping(textAnalyzer))
}

// FullMapping names every field of Doc with all that its kind can hold:
// each field stored, each keyword and date with doc values, each text
// field with term positions. Mapping is this less Trimmed; the footprint
// measurements build it to weigh each trim (docs/benchmarks.md).
func FullMapping(textAnalyzer string) *index.Mapping {
	return index.NewMapping().
		FullText(FieldTitle, textAnalyzer, true).
		FullText(FieldTitlePrefix, analysis.PrefixAnalyzer, false).
		FullText(FieldDocNumber, analysis.DocNumberAnalyzer, true).
		Keyword(FieldDocPrefix).
		FullText(FieldSummary, textAnalyzer, true).
		FullText(FieldBody, textAnalyzer, true).
		FullText(FieldAttachmentText, textAnalyzer, true).
		Keyword(FieldChannel).
		Keyword(FieldType).
		Keyword(FieldIssuer).
		Keyword(FieldDepartment).
		Keyword(FieldYear).
		Datetime(FieldPublishedAt).
		Datetime(FieldIssuedAt).
		Keyword(FieldValidity).
		Keyword(FieldVisibility).
		Numeric(FieldClass).
		Keyword(FieldReaders).
		Keyword(FieldStatus).
		Keyword(FieldState).
		Keyword(FieldHolders).
		Keyword(FieldOwner).
		Datetime(FieldDue)
}

// Trim is what a search index leaves out of FullMapping's fields: the
// parts of a field that nothing reads (issue 16 item 7: at 100k portal
// items they were ~1.6 KB a document besides the body).
type Trim struct {
	// Unpositioned text fields keep no term positions: no phrase query
	// and no highlighter reads them.
	Unpositioned []string
	// Unstored fields keep no copy of their values: no hit shows them,
	// no highlighter cuts fragments from them.
	Unstored []string
	// Unsorted fields have no doc values: no sort, facet or column read
	// (index.Entries) uses them; filters read the terms.
	Unsorted []string
}

// Apply trims m.
func (t Trim) Apply(m *index.Mapping) *index.Mapping {
	return m.Unpositioned(t.Unpositioned...).Unstored(t.Unstored...).Unsorted(t.Unsorted...)
}

// Trimmed is the search indexes' trim. A request that reads a trimmed part
// (a hit field, a facet, a sort) is refused by index.Index.Search, so a
// new reader fails in its tests: take its field out of the list then.
// Who reads what:
//   - phrases (build.go, suggest.go, pinyin.go) and highlights
//     (searchapi: highlightFields, officialdoc and archive Highlight) read
//     title, summary, body and attachmentText; titlePrefix and docNumber
//     are only matched by term and fuzzy queries (build.go, suggest.go);
//   - hits show title, type, channel, path, publishedAt, docNumber,
//     validity, status, attachmentNames (searchapi.hitFields) and Rerank
//     reads title and validity (RerankFields); Find's callers ask no
//     fields; summary and body are highlighted from the store
//     (searchapi's storeHighlighted: ~0.6 KB a portal document, a tenth
//     of the portal index), title and attachmentText from their stored
//     copies;
//   - sorts read publishedAt and index.KeyField; facets read channel, type,
//     issuer, year, validity (searchapi.facetFields) and type, state
//     (officialdoc's search); reconciliation reads _collection, _version;
//   - the rest is filtered only: docPrefix (docprefix.go), department,
//     owner, holders, due (officialdoc's filters), visibility,
//     classification, readers (searchapi.access); issuedAt is read by
//     nothing today, and stays indexed: leaving a field out of the index
//     takes a filter away, which is not a trim.
var Trimmed = Trim{
	Unpositioned: []string{FieldTitlePrefix, FieldDocNumber},
	Unstored: []string{FieldSummary, FieldBody, FieldDocPrefix, FieldIssuer, FieldDepartment, FieldYear, FieldIssuedAt, FieldVisibility,
		FieldClass, FieldReaders, FieldState, FieldHolders, FieldOwner, FieldDue},
	Unsorted: []string{FieldDocPrefix, FieldDepartment, FieldIssuedAt, FieldVisibility, FieldClass, FieldReaders,
		FieldStatus, FieldHolders, FieldOwner, FieldDue},
}
