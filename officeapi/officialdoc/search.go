package officialdoc

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"zhengwu/search/index"
	"zhengwu/search/query"
	"zhengwu/search/searchapi"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/richtext"
	"zhengwu/shared/store"
)

// 公文查询 (document query) runs on the office search index, not on the
// collection's list index: the search index analyses Chinese text (title
// and body words), folds a 文号 in any bracket form to one term
// (analysis.DocNumber), ranks by relevance and counts facets, none of
// which the list index does. Documents go into it through
// SearchProjection, with the readers and 密级 AccessOf gives them; the
// search service puts the reader's rights into every query, so that hits,
// the total and the facet counts include only what the reader may open.

// SearchDeps are what the search projection reads besides the document:
// its attachments' bytes (Media) and names and types (Describe). Either
// nil: attachments are not indexed.
type SearchDeps struct {
	Media    source.Media
	Describe func(ctx context.Context, mediaID string) (source.File, error)
	Logger   *slog.Logger
}

// SearchProjection puts every official document into the office search
// index: its text and its attachments' (file by file, so that a hit names
// the file: source.ReadAttachments), its fields for filters and facets,
// and AccessOf's readers and 密级 — an attachment is found by exactly the
// readers of its document.
func SearchProjection(deps SearchDeps) source.Projection {
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	return source.Projection{Index: source.OfficeName, Collection: Collection, Project: func(sd store.Doc) (source.Doc, bool) {
		out, ok := searchProject(sd)
		if ok && deps.Media != nil && deps.Describe != nil {
			out.Attachments = attachmentText(deps, sd)
		}
		return out, ok
	}, Text: searchProject}
}

// attachmentText reads the text of the document's attachments. A file
// that cannot be read is logged and counted (source.ReadAttachments); the
// document is indexed all the same.
func attachmentText(deps SearchDeps, sd store.Doc) []source.FileText {
	var d struct {
		Attachments []string `json:"attachments"`
	}
	if sd.Decode(&d) != nil || len(d.Attachments) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	files := make([]source.File, 0, len(d.Attachments))
	for i, id := range d.Attachments {
		f, err := deps.Describe(ctx, id)
		if err != nil {
			// Its kind unknown: ReadAttachments counts it as refused.
			f = source.File{MediaID: id, Name: fmt.Sprintf("附件%d", i+1)}
		}
		files = append(files, f)
	}
	att := source.ReadAttachments(deps.Media, files, source.Limits{}, deps.Logger.With("document", sd.ID))
	return att.Files
}

func searchProject(sd store.Doc) (source.Doc, bool) {
	var d Document
	if err := sd.Decode(&d); err != nil {
		return source.Doc{}, false
	}
	acc := AccessOf(&d)
	out := source.Doc{
		Title: d.Title, DocNumber: d.DocNumber, Body: richtext.PlainText(d.Body), Type: d.DocType,
		// 发文 and 收文 are the two registers of the office's documents:
		// the channel of an official document.
		Channel: d.Direction, Issuer: d.Issuer, Path: "/office/documents/" + sd.ID, PublishedAt: d.CreatedAt,
		Classification: acc.Classification, Readers: acc.Readers, Department: d.Department,
		State: d.State, Holders: d.Holders, Owner: d.Drafter, Due: earliestDue(d.Tasks),
	}
	if on, err := time.ParseInLocation(time.DateOnly, d.WrittenOn, source.ChinaTime); err == nil {
		out.IssuedAt = on
	}
	return out, true
}

// earliestDue is the soonest deadline of the open tasks (zero: none has
// one): the document is overdue once it has passed.
func earliestDue(tasks []Task) time.Time {
	var due time.Time
	for _, t := range tasks {
		if !t.Due.IsZero() && (due.IsZero() || t.Due.Before(due)) {
			due = t.Due
		}
	}
	return due
}

// Finder runs a query of a search index with the reader's rights inside
// it (searchapi.Service's Find).
type Finder interface {
	Find(ctx context.Context, p *auth.Principal, f searchapi.Find) (searchapi.Found, error)
}

// SearchQuery is a document query; its tags make it the route's query
// parameters.
type SearchQuery struct {
	Q              string `query:"q" validate:"max=100,nocontrol" doc:"检索词：标题或正文中的词，或文号（皖政办〔2026〕12号、皖政办[2026]12号、皖政办(2026)12号 均可）"`
	DocType        string `query:"docType" validate:"omitempty,oneof=决议 决定 命令 公报 公告 通告 意见 通知 通报 报告 请示 批复 议案 函 纪要" doc:"文种"`
	State          string `query:"state" validate:"omitempty,oneof=draft processing completed terminated" doc:"状态：draft 草稿，processing 办理中，completed 办结，terminated 终止"`
	Direction      string `query:"direction" validate:"omitempty,oneof=outgoing incoming" doc:"方向：outgoing 发文，incoming 收文"`
	Department     string `query:"department" validate:"omitempty,orgid" doc:"拟稿（承办）处室"`
	Drafter        string `query:"drafter" validate:"max=64,nocontrol" doc:"拟稿人（用户 id）"`
	Holder         string `query:"holder" validate:"max=64,nocontrol" doc:"当前办理人（用户 id）"`
	Overdue        bool   `query:"overdue" doc:"true：只查有超过办理时限的待办的公文（按查询时刻判断）"`
	From           string `query:"from" validate:"omitempty,datetime=2006-01-02" doc:"拟稿（登记）日期起，含当日（2026-03-01）"`
	To             string `query:"to" validate:"omitempty,datetime=2006-01-02" doc:"拟稿（登记）日期止，含当日"`
	Sort           string `query:"sort" validate:"omitempty,oneof=relevance date" doc:"排序：relevance 相关度（有检索词时默认），date 日期倒序"`
	Page           int    `query:"page" validate:"omitempty,min=1,max=200" doc:"页码（从 1 起）"`
	Size           int    `query:"size" validate:"omitempty,min=1,max=50" doc:"每页条数（1–50，默认 20）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待检索索引应用到该变更序号（读己之写）"`
}

// SearchHit is one document found: the document as the list shows it
// (its body left out), whether it is overdue now, the fragments of its
// title, body and attachments that match the words (<mark>…</mark>), and
// for the attachments the file each fragment comes from.
type SearchHit struct {
	Document
	Version     int64                       `json:"version"`
	Overdue     bool                        `json:"overdue"`
	Highlights  map[string][]string         `json:"highlights"`
	Attachments []searchapi.AttachmentMatch `json:"attachments,omitempty"`
}

// SearchFacets are the counts by 文种 and by 状态 of every document the
// query finds (not just this page), each a document the reader may read.
type SearchFacets struct {
	DocType []searchapi.FacetValue `json:"docType"`
	State   []searchapi.FacetValue `json:"state"`
}

// SearchResult is a page of a document query.
type SearchResult struct {
	Items  []SearchHit  `json:"items"`
	Total  uint64       `json:"total"`
	Facets SearchFacets `json:"facets"`
	// DidYouMean is offered when the words found nothing and a close
	// variant (a character off, traditional for simplified, the Chinese
	// that pinyin spells) finds documents the reader may read with the
	// same filters.
	DidYouMean *searchapi.Correction `json:"didYouMean,omitempty"`
}

// Search is 公文查询: official documents found through the office search
// index.
type Search struct {
	svc  *Service
	find Finder
}

// NewSearch queries svc's documents through find (the search service).
func NewSearch(svc *Service, find Finder) *Search { return &Search{svc: svc, find: find} }

// defaultSearchSize is a page when the query names no size.
const defaultSearchSize = 20

// highlighted are the fields whose matches a hit shows.
var highlighted = []string{query.FieldTitle, query.FieldBody, query.FieldAttachmentText}

// Find runs q for p: the documents p may read that match it, a page of
// them read again from the store (their current state, and the access
// check once more), the total and the facets.
func (s *Search) Find(ctx context.Context, p *auth.Principal, q SearchQuery) (SearchResult, error) {
	filters, err := s.filters(q)
	if err != nil {
		return SearchResult{}, err
	}
	size := q.Size
	if size == 0 {
		size = defaultSearchSize
	}
	found, err := s.find.Find(ctx, p, searchapi.Find{Scope: source.OfficeName, Collection: Collection, Text: q.Q,
		Filters: filters, Facets: []index.Facet{{Field: query.FieldType, Size: len(DocTypes)}, {Field: query.FieldState, Size: len(stateNames)}},
		Highlight: highlighted, ByDate: q.Sort == "date", Page: q.Page, Size: size, ConsistentWith: q.ConsistentWith})
	if err != nil {
		return SearchResult{}, err
	}
	now := s.svc.now()
	out := SearchResult{Items: make([]SearchHit, 0, len(found.Hits)), Total: found.Total,
		Facets:     SearchFacets{DocType: found.Facets[query.FieldType], State: found.Facets[query.FieldState]},
		DidYouMean: found.DidYouMean}
	for _, h := range found.Hits {
		d, sd, err := s.svc.docs.Get(ctx, p, h.ID)
		if pe := problem.As(err); pe != nil && pe.Status == 404 {
			continue // gone, or no longer readable, since the index saw it
		}
		if err != nil {
			return SearchResult{}, err
		}
		d.Body = ""
		due := earliestDue(d.Tasks)
		out.Items = append(out.Items, SearchHit{Document: d, Version: sd.Version,
			Overdue: !due.IsZero() && due.Before(now), Highlights: h.Highlights, Attachments: h.Attachments})
	}
	return out, nil
}

// filters are q's narrowing as filters of the search index. Dates are
// days in China's time zone, both ends included.
func (s *Search) filters(q SearchQuery) ([]index.Filter, error) {
	var fs []index.Filter
	for _, f := range []struct{ field, value string }{
		{query.FieldType, q.DocType}, {query.FieldState, q.State}, {query.FieldChannel, q.Direction},
		{query.FieldDepartment, q.Department}, {query.FieldOwner, q.Drafter}, {query.FieldHolders, q.Holder},
	} {
		if f.value != "" {
			fs = append(fs, index.Term(f.field, f.value))
		}
	}
	if q.Overdue {
		fs = append(fs, index.Range(query.FieldDue, nil, s.svc.now()))
	}
	from, to, err := s.days(q.From, q.To)
	if err != nil {
		return nil, err
	}
	if !from.IsZero() || !to.IsZero() {
		var lo, hi any
		if !from.IsZero() {
			lo = from
		}
		if !to.IsZero() {
			hi = to
		}
		fs = append(fs, index.Range(query.FieldPublishedAt, lo, hi))
	}
	return fs, nil
}

// days turns from and to (2006-01-02, validated by the tags) into the
// half-open interval [from 00:00, the day after to 00:00).
func (s *Search) days(from, to string) (lo, hi time.Time, err error) {
	parse := func(field, v string) (time.Time, error) {
		if v == "" {
			return time.Time{}, nil
		}
		t, err := time.ParseInLocation(time.DateOnly, v, s.svc.zone)
		if err != nil {
			return time.Time{}, problem.Invalid(problem.Field(field, "日期格式应为 2026-03-01", "a date as 2026-03-01"))
		}
		return t, nil
	}
	if lo, err = parse("from", from); err != nil {
		return
	}
	if hi, err = parse("to", to); err != nil {
		return
	}
	if !hi.IsZero() {
		hi = hi.AddDate(0, 0, 1)
		if !lo.IsZero() && !hi.After(lo) {
			return lo, hi, problem.Invalid(problem.Field("to", "截止日期不能早于起始日期", "to must not be before from"))
		}
	}
	return lo, hi, nil
}
