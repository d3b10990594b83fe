package relevance

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"zhengwu/search/analysis"
	"zhengwu/search/index"
	"zhengwu/search/query"
)

// A System is one way to index and query: the product (Ours), a candidate
// analyzer through the product's path (Candidate), or the Baseline.
type System struct {
	Name string
	// Analyzer is the analyzer of the full-text fields.
	Analyzer string
	// Open creates an empty index in dir.
	Open func(dir string) (Engine, error)
}

// Engine is an index a System fills and searches.
type Engine interface {
	Index(docs []Document) error // one batch
	// Flush returns once everything indexed is on disk (the product's
	// index writes in the background; Bleve's default before Index returns).
	Flush() error
	// Search runs the system's query for what a reader typed.
	Search(ctx context.Context, text string, size int) ([]string, error)
	Close() error
}

// BatchSize is how many documents one indexing batch holds.
const BatchSize = 500

// Ours is the product: query.Mapping (analysis.Analyzer) through
// index.Open/Apply, searched with query.Search (the strict query, then
// query.Build's when it finds fewer than ten) and the page re-ranked by
// query.Rerank, as the search API does.
func Ours() System { return Candidate("ours", analysis.Analyzer) }

// OursSingle is Ours searched with query.Build alone, in one request (the
// any-token fallback always in the query): the path before query.Search,
// kept to compare the two in one run.
func OursSingle() System {
	s := Candidate("ours-1req", analysis.Analyzer)
	open := s.Open
	s.Open = func(dir string) (Engine, error) {
		e, err := open(dir)
		if err != nil {
			return nil, err
		}
		e.(*productEngine).single = true
		return e, nil
	}
	return s
}

// OursNoRerank is Ours without query.Rerank: the path before the re-rank
// of the first page's near-ties, kept to compare the two in one run.
func OursNoRerank() System {
	s := Candidate("ours-norerank", analysis.Analyzer)
	open := s.Open
	s.Open = func(dir string) (Engine, error) {
		e, err := open(dir)
		if err != nil {
			return nil, err
		}
		e.(*productEngine).noRerank = true
		return e, nil
	}
	return s
}

// Candidate is the product's indexing and query path with another
// analyzer on the text fields.
func Candidate(name, analyzer string) System {
	return System{
		Name:     name,
		Analyzer: analyzer,
		Open: func(dir string) (Engine, error) {
			ix, err := index.Open(dir, query.MappingWith(analyzer))
			if err != nil {
				return nil, err
			}
			return &productEngine{ix: ix, opts: query.Options{TextAnalyzer: analyzer}}, nil
		},
	}
}

type productEngine struct {
	ix       *index.Index
	opts     query.Options
	single   bool // query.Build in one request instead of query.Search
	noRerank bool // leave out query.Rerank
	seq      int64
}

func (e *productEngine) Index(docs []Document) error {
	ups := make([]index.Upsert, len(docs))
	for i, d := range docs {
		ups[i] = index.Upsert{ID: d.ID, Collection: "items", Version: 1, Doc: Project(d)}
	}
	e.seq++
	return e.ix.Apply(index.Batch{Upserts: ups, Checkpoint: e.seq})
}

func (e *productEngine) Search(ctx context.Context, text string, size int) ([]string, error) {
	req := func(q bq.Query) *bleve.SearchRequest {
		r := bleve.NewSearchRequestOptions(q, size, 0, false)
		r.Fields = query.RerankFields
		return r
	}
	var res *bleve.SearchResult
	var err error
	if e.single {
		res, err = e.ix.Search(ctx, req(query.Build(text, e.opts)))
	} else {
		res, err = query.Search(ctx, e.ix, text, e.opts, nil, req)
	}
	if err == nil && !e.noRerank {
		// The first page's near-ties, re-ranked as the search API does.
		query.Rerank(text, res)
	}
	return hitIDs(res, err)
}

func (e *productEngine) Flush() error { return e.ix.Flush(context.Background()) }

func (e *productEngine) Close() error { return e.ix.Close() }

// Baseline is Bleve's default mapping with the cjk analyzer as default
// (every field indexed, stored and in _all, as Bleve does out of the box),
// and a plain match query over _all: no boosts, no phrase, no synonyms.
func Baseline() System {
	return System{
		Name:     "baseline",
		Analyzer: cjk.AnalyzerName,
		Open: func(dir string) (Engine, error) {
			im := mapping.NewIndexMapping()
			im.DefaultAnalyzer = cjk.AnalyzerName
			if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
				return nil, err
			}
			b, err := bleve.NewUsing(dir, im, scorch.Name, scorch.Name, nil)
			if err != nil {
				return nil, err
			}
			return &bleveEngine{b: b}, nil
		},
	}
}

type bleveEngine struct{ b bleve.Index }

func (e *bleveEngine) Index(docs []Document) error {
	batch := e.b.NewBatch()
	for _, d := range docs {
		if err := batch.Index(d.ID, d); err != nil {
			return fmt.Errorf("%s: %w", d.ID, err)
		}
	}
	return e.b.Batch(batch)
}

func (e *bleveEngine) Search(ctx context.Context, text string, size int) ([]string, error) {
	res, err := e.b.SearchInContext(ctx, bleve.NewSearchRequestOptions(bq.NewMatchQuery(text), size, 0, false))
	return hitIDs(res, err)
}

// hitIDs is a search's answer as an Engine gives it: the hits' ids, best
// first.
func hitIDs(res *bleve.SearchResult, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

// Flush has nothing to wait for: Bleve by default returns from a batch
// once it is on disk.
func (e *bleveEngine) Flush() error { return nil }

func (e *bleveEngine) Close() error { return e.b.Close() }
