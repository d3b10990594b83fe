// Package relevance is the search relevance harness: it indexes a corpus
// through the product's indexing path (index.Open and Apply with
// query.Mapping and the Chinese analyzer), runs known-item queries (a query
// and the one document it should find) through the product's search path
// (query.Search: query.Build's strict query, then its fallback when it finds
// fewer than ten, as the search API sends them, and the page's near-ties
// re-ranked by query.Rerank, as the API does), and scores MRR@10 and recall@10 per kind of
// query, beside a baseline (Bleve's cjk analyzer with a plain match query
// over all text) measured in the same run. The command is
// search/relevance/cmd/relevance (make relevance).
package relevance

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"zhengwu/search/query"
)

// Document is one line of a corpus file (the development set's format).
type Document struct {
	ID        string  `json:"id"`
	Title     string  `json:"title"`
	Body      string  `json:"body"`
	Date      *string `json:"date"`
	Agency    *string `json:"agency"`
	DocNumber *string `json:"doc_number"`
	Category  string  `json:"category"`
	Source    string  `json:"source"`
}

// Query is one known-item query: the text, the document it should find,
// and its kind (title, body, words, docnumber, ...).
type Query struct {
	QID   string `json:"qid"`
	Query string `json:"query"`
	DocID string `json:"doc_id"`
	Kind  string `json:"kind"`
}

// LoadCorpus reads a corpus file, gzipped (.gz) or not; limit > 0 keeps
// the first limit documents.
func LoadCorpus(path string, limit int) ([]Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		r = zr
	}
	var docs []Document
	err = eachLine(r, func(n int, line []byte) error {
		var d Document
		if err := json.Unmarshal(line, &d); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
		docs = append(docs, d)
		if limit > 0 && len(docs) >= limit {
			return io.EOF
		}
		return nil
	})
	return docs, err
}

// LoadQueries reads a queries file (JSON lines).
func LoadQueries(path string) ([]Query, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseQueries(f, path)
}

// ParseQueries reads queries (JSON lines) from r; name is for errors.
func ParseQueries(r io.Reader, name string) ([]Query, error) {
	var qs []Query
	err := eachLine(r, func(n int, line []byte) error {
		var q Query
		if err := json.Unmarshal(line, &q); err != nil {
			return fmt.Errorf("%s:%d: %w", name, n, err)
		}
		qs = append(qs, q)
		return nil
	})
	return qs, err
}

func eachLine(r io.Reader, fn func(n int, line []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(strings.TrimSpace(string(line))) == 0 {
			continue
		}
		if err := fn(n, line); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
	return sc.Err()
}

// Project turns a corpus document into the search index's document, as
// the portal's feed consumer would: category is the type, agency the
// issuer, everything public and unclassified.
func Project(d Document) query.Doc {
	doc := query.Doc{
		ID: d.ID, Title: d.Title, Body: d.Body, Type: d.Category,
		Channel: d.Category, Visibility: "public",
	}
	if d.Agency != nil {
		doc.Issuer = *d.Agency
	}
	if d.DocNumber != nil {
		doc.DocNumber = *d.DocNumber
	}
	if d.Date != nil {
		if t, err := time.Parse("2006-01-02", (*d.Date)[:min(10, len(*d.Date))]); err == nil {
			doc.PublishedAt = &t
		}
	}
	doc.Prepare()
	return doc
}

// Within keeps the queries whose document is among docs (for a corpus
// cut with a limit).
func Within(qs []Query, docs []Document) []Query {
	ids := make(map[string]bool, len(docs))
	for _, d := range docs {
		ids[d.ID] = true
	}
	var out []Query
	for _, q := range qs {
		if ids[q.DocID] {
			out = append(out, q)
		}
	}
	return out
}
