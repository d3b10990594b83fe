package archive

import (
	"cmp"
	"context"
	"time"

	"zhengwu/search/query"
	"zhengwu/search/searchapi"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// SearchProjection puts every record into the office search index with
// AccessOf's readers and 密级, as officialdoc's does its documents: the
// search service puts the reader's rights into every query, so a record
// is found only by those who may open it. Its channel is "archive".
func SearchProjection() source.Projection {
	return source.Projection{Index: source.OfficeName, Collection: Collection, Project: searchProject}
}

// Channel is the records' channel in the office index.
const Channel = "archive"

func searchProject(sd store.Doc) (source.Doc, bool) {
	var r Record
	if err := sd.Decode(&r); err != nil {
		return source.Doc{}, false
	}
	acc := AccessOf(&r)
	out := source.Doc{Title: r.Title, DocNumber: r.DocNumber, Summary: r.ArchiveNo + " " + r.Retention, Type: r.DocType,
		Channel: Channel, Issuer: r.Issuer, Path: "/office/archive/records/" + sd.ID, PublishedAt: r.ArchivedAt,
		Classification: acc.Classification, Readers: acc.Readers, Department: r.Department, State: r.Status}
	if on, err := time.ParseInLocation(time.DateOnly, r.WrittenOn, source.ChinaTime); err == nil {
		out.IssuedAt = on
	}
	return out, true
}

// SearchQuery is a search of the archive through the office search index.
type SearchQuery struct {
	Q              string `query:"q" validate:"required,max=100,nocontrol" doc:"检索词：题名或文号中的词、档号"`
	Page           int    `query:"page" validate:"omitempty,min=1,max=200" doc:"页码（从 1 起）"`
	Size           int    `query:"size" validate:"omitempty,min=1,max=50" doc:"每页条数（1–50，默认 20）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待检索索引应用到该变更序号（读己之写）"`
}

// SearchHit is one record found, with the fragments of its title that
// match (<mark>…</mark>).
type SearchHit struct {
	Record
	Highlights map[string][]string `json:"highlights"`
}

// SearchResult is a page of an archive search.
type SearchResult struct {
	Items []SearchHit `json:"items"`
	Total uint64      `json:"total"`
}

// Search finds the records p may read whose text matches q in the office
// search index (the reader's rights are in the query: hits and the total
// count only what p may open), each read again with the access check.
func (s *Service) Search(ctx context.Context, p *auth.Principal, q SearchQuery) (SearchResult, error) {
	if s.find == nil {
		return SearchResult{}, problem.New(503, problem.CodeUnavailable, "检索服务未启用", "search is not available")
	}
	found, err := s.find.Find(ctx, p, searchapi.Find{Scope: source.OfficeName, Collection: Collection, Text: q.Q,
		Highlight: []string{query.FieldTitle}, Page: q.Page, Size: cmp.Or(q.Size, 20), ConsistentWith: q.ConsistentWith})
	if err != nil {
		return SearchResult{}, err
	}
	out := SearchResult{Items: make([]SearchHit, 0, len(found.Hits)), Total: found.Total}
	for _, h := range found.Hits {
		r, _, err := s.recs.Get(ctx, p, h.ID)
		if pe := problem.As(err); pe != nil && pe.Status == 404 {
			continue
		}
		if err != nil {
			return SearchResult{}, err
		}
		out.Items = append(out.Items, SearchHit{Record: r, Highlights: h.Highlights})
	}
	return out, nil
}
