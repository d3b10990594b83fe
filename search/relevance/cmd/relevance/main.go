// Command relevance indexes a corpus through the product's indexing and
// query path and prints MRR@10, recall@10 and the precision of the top 10
// (P@10) per kind of query, and indexing docs/s, for Zhengwu's analyzer and the
// baseline (Bleve's cjk analyzer with a plain match query), measured in the same run.
//
//	go run ./search/relevance/cmd/relevance \
//	    -corpus ../shared/data/search-dev/corpus.jsonl.gz \
//	    -queries ../shared/data/search-dev/queries.jsonl,../shared/data/search-dev/queries-words.jsonl
//
// -systems ours,ours-norerank,baseline adds the product's path without
// query.Rerank (the re-rank of the first page's near-ties), to read what
// it changes in one run. -systems all adds the candidates of ADR 0006 (gse and jieba, words and
// hybrid; Bleve's cjk with our query builder), all through the product's
// indexing and query path.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"zhengwu/search/analysis"
	"zhengwu/search/analysis/gse"
	"zhengwu/search/analysis/jieba"
	"zhengwu/search/relevance"
)

func main() {
	const dev = "../shared/data/search-dev/"
	corpus := flag.String("corpus", dev+"corpus.jsonl.gz", "corpus file (JSON lines, .gz or not)")
	queries := flag.String("queries", dev+"queries.jsonl,"+dev+"queries-words.jsonl", "query files, comma-separated")
	extra := flag.String("extra", "embedded", `extra query file ("embedded": testdata/extra-queries.jsonl and testdata/precision-queries.jsonl built in; "": none)`)
	systems := flag.String("systems", "ours,baseline", "systems to run, comma-separated, or all: "+strings.Join(names(), ","))
	limit := flag.Int("limit", 0, "index only the first N documents (0: all)")
	misses := flag.Bool("misses", false, "list the queries whose document did not rank first, their causes by kind, and the audit of the signals beyond the text on the ties")
	flag.Parse()
	if err := run(*corpus, *queries, *extra, *systems, *limit, *misses); err != nil {
		fmt.Fprintln(os.Stderr, "relevance:", err)
		os.Exit(1)
	}
}

func candidates() []relevance.System {
	return []relevance.System{
		relevance.Ours(),
		relevance.OursSingle(),
		relevance.OursNoRerank(),
		relevance.Baseline(),
		relevance.Candidate("gse-words", gse.WordsAnalyzer),
		relevance.Candidate("gse-hybrid", gse.HybridAnalyzer),
		relevance.Candidate("jieba-words", jieba.WordsAnalyzer),
		relevance.Candidate("jieba-hybrid", jieba.HybridAnalyzer),
		relevance.Candidate("cjk", "cjk"),
	}
}

func names() []string {
	var n []string
	for _, s := range candidates() {
		n = append(n, s.Name)
	}
	return n
}

func run(corpus, queryFiles, extra, systems string, limit int, misses bool) error {
	start := time.Now()
	docs, err := relevance.LoadCorpus(corpus, limit)
	if err != nil {
		return err
	}
	var qs []relevance.Query
	for _, p := range strings.Split(queryFiles, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		q, err := relevance.LoadQueries(p)
		if err != nil {
			return err
		}
		qs = append(qs, q...)
	}
	switch extra {
	case "":
	case "embedded":
		qs = append(qs, relevance.ExtraQueries()...)
		qs = append(qs, relevance.PrecisionQueries()...)
	default:
		q, err := relevance.LoadQueries(extra)
		if err != nil {
			return err
		}
		qs = append(qs, q...)
	}
	if limit > 0 {
		qs = relevance.Within(qs, docs)
	}
	var run []relevance.System
	for _, s := range candidates() {
		if systems == "all" || contains(strings.Split(systems, ","), s.Name) {
			run = append(run, s)
		}
	}
	if len(run) == 0 {
		return fmt.Errorf("no system named in %q (have %s)", systems, strings.Join(names(), ","))
	}
	dir, err := os.MkdirTemp("", "zhengwu-relevance-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Printf("corpus %s: %d documents; %d queries\n", corpus, len(docs), len(qs))
	if systems == "all" || strings.Contains(systems, "gse") || strings.Contains(systems, "jieba") {
		fmt.Printf("dictionary load: gse (embedded, cut) %s, jieba %s\n",
			gse.DictionaryLoadTime().Round(time.Millisecond), jieba.LoadTime().Round(time.Millisecond))
	}
	fmt.Printf("analyzer %q; synonyms: %d groups\n\n", analysis.Analyzer, analysis.EmbeddedSynonyms().Len())
	reps, err := relevance.Run(context.Background(), run, docs, qs, dir)
	if err != nil {
		return err
	}
	relevance.Print(os.Stdout, reps)
	if misses {
		fmt.Println()
		for _, r := range reps {
			relevance.PrintMisses(os.Stdout, r)
		}
		fmt.Println()
		for _, r := range reps {
			relevance.PrintCauses(os.Stdout, r)
		}
		fmt.Println("\nsignals beyond the text, on the pairs (wanted, another top-10 hit whose title holds every typed word):")
		for _, r := range reps {
			relevance.PrintSignals(os.Stdout, r)
		}
		if err := printBayes(docs, qs); err != nil {
			return err
		}
	}
	fmt.Printf("\ntook %s\n", time.Since(start).Round(time.Second))
	return nil
}

// printBayes writes, for the kinds whose queries are words taken from a
// title, relevance.BayesCeiling with the titles cut by gse (pure Go, the
// product's dictionary): what ordering by the title alone can expect.
func printBayes(docs []relevance.Document, qs []relevance.Query) error {
	seg, err := gse.LoadDictionary()
	if err != nil {
		return err
	}
	fmt.Println("\ntitle-only Bayes bound (expected MRR@10 when the typed words are a uniform pick of the title's words, cut by gse):")
	for _, kind := range []string{"words", "traditional"} {
		if b := relevance.BayesCeiling(docs, qs, kind, seg.Cut); b >= 0 {
			fmt.Printf("%s\t%.3f\n", kind, b)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if strings.TrimSpace(v) == s {
			return true
		}
	}
	return false
}
