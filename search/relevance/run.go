package relevance

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// K is the rank cut-off of the scores (MRR@K, recall@K).
const K = 10

// Score is the result of one kind of query.
type Score struct {
	Kind   string
	N      int
	MRR    float64 // mean reciprocal rank of the wanted document, 0 past rank K; -1: no query wants one
	Recall float64 // share of queries whose document is in the top K
	// Precision is the mean share of the top K hits that hold what was
	// typed (see precision), over the queries that found something; -1
	// for the kinds it leaves out.
	Precision float64
	precN     int
	known     int // queries that want a document (precision-only ones do not)
	Misses    []Miss
	Latency   time.Duration // mean per query
	// TieCeiling is the mean of titles.tieCeiling over the kind's queries
	// whose wanted title holds every typed word (-1: none does).
	TieCeiling float64
	tieSum     float64
	tieN       int
	// LengthCeiling is the mean of titles.lengthCeiling over the same
	// queries (-1: none).
	LengthCeiling float64
	lengthSum     float64
	// Signals audit the signals beyond the text on the kind's ties (see
	// tieSignals).
	Signals []SignalTally
}

// Miss is a query whose document ranked below 1 (Rank 0: not in the top K).
type Miss struct {
	Query Query
	Rank  int
	Top   []string
	Cause string // CauseTie, CauseOutranked or CauseNotInTitle
}

// Report is one System's run.
type Report struct {
	System     string
	Docs       int
	IndexTime  time.Duration
	DocsPerSec float64
	Scores     []Score // by kind, sorted
	Overall    Score
}

// Run indexes docs with each system, in lockstep (batch after batch,
// BatchSize documents each, rotating which system goes first), so that all
// see the same machine load and their docs/s compare fairly even on a busy
// machine; then it runs the queries and scores them by kind. Each system
// gets a new index under dir.
func Run(ctx context.Context, systems []System, docs []Document, queries []Query, dir string) ([]Report, error) {
	engs := make([]Engine, len(systems))
	reps := make([]Report, len(systems))
	for i, sys := range systems {
		eng, err := sys.Open(filepath.Join(dir, sys.Name))
		if err != nil {
			return nil, fmt.Errorf("%s: open: %w", sys.Name, err)
		}
		defer eng.Close()
		engs[i] = eng
		reps[i] = Report{System: sys.Name, Docs: len(docs)}
	}
	for b, i := 0, 0; i < len(docs); b, i = b+1, i+BatchSize {
		batch := docs[i:min(i+BatchSize, len(docs))]
		for k := range systems {
			j := (k + b) % len(systems)
			start := time.Now()
			if err := engs[j].Index(batch); err != nil {
				return nil, fmt.Errorf("%s: index: %w", systems[j].Name, err)
			}
			reps[j].IndexTime += time.Since(start)
		}
	}
	for i, eng := range engs {
		start := time.Now()
		if err := eng.Flush(); err != nil {
			return nil, fmt.Errorf("%s: flush: %w", systems[i].Name, err)
		}
		reps[i].IndexTime += time.Since(start)
	}
	for i, sys := range systems {
		reps[i].DocsPerSec = float64(len(docs)) / reps[i].IndexTime.Seconds()
		if err := score(ctx, sys, engs[i], queries, newPrecision(docs), newTitles(docs), newCorpus(docs), &reps[i]); err != nil {
			return nil, err
		}
	}
	return reps, nil
}

func score(ctx context.Context, sys System, eng Engine, queries []Query, prec *precision, tl titles, c corpus, rep *Report) error {
	byKind := map[string]*Score{}
	all := &Score{Kind: "all"}
	for _, q := range queries {
		qs := time.Now()
		ids, err := eng.Search(ctx, q.Query, K)
		if err != nil {
			return fmt.Errorf("%s: query %s: %w", sys.Name, q.QID, err)
		}
		lat := time.Since(qs)
		rank := 0
		for i, id := range ids {
			if id == q.DocID {
				rank = i + 1
				break
			}
		}
		s := byKind[q.Kind]
		if s == nil {
			s = &Score{Kind: q.Kind}
			byKind[q.Kind] = s
		}
		share, found := prec.share(q.Query, ids)
		ceiling, byLength := -1.0, -1.0
		if q.DocID != "" {
			ceiling, byLength = tl.tieCeiling(q), tl.lengthCeiling(q)
			s.Signals = c.tallySignals(tl, q, ids, s.Signals)
		}
		for _, s := range []*Score{s, all} {
			if ceiling >= 0 {
				s.tieSum += ceiling
				s.lengthSum += byLength
				s.tieN++
			}
			if found && !precisionSkips[q.Kind] {
				s.Precision += share
				s.precN++
			}
			s.N++
			s.Latency += lat
			if q.DocID != "" {
				s.known++
			}
			if rank > 0 {
				s.MRR += 1 / float64(rank)
				s.Recall++
			}
		}
		if rank != 1 && q.DocID != "" {
			above := ids
			if rank > 0 {
				above = ids[:rank-1]
			}
			s.Misses = append(s.Misses, Miss{Query: q, Rank: rank, Top: ids[:min(3, len(ids))], Cause: tl.cause(q, above)})
		}
	}
	for _, s := range byKind {
		rep.Scores = append(rep.Scores, finish(*s))
	}
	sort.Slice(rep.Scores, func(i, j int) bool { return rep.Scores[i].Kind < rep.Scores[j].Kind })
	rep.Overall = finish(*all)
	return nil
}

func finish(s Score) Score {
	if s.N > 0 {
		s.Latency /= time.Duration(s.N)
	}
	if s.known > 0 {
		s.MRR /= float64(s.known)
		s.Recall /= float64(s.known)
	} else {
		s.MRR, s.Recall = -1, -1
	}
	if s.precN > 0 {
		s.Precision /= float64(s.precN)
	} else {
		s.Precision = -1
	}
	s.TieCeiling, s.LengthCeiling = -1, -1
	if s.tieN > 0 {
		s.TieCeiling = s.tieSum / float64(s.tieN)
		s.LengthCeiling = s.lengthSum / float64(s.tieN)
	}
	return s
}

// Of returns the score of a kind (N 0 when no query was of that kind).
func (r Report) Of(kind string) Score {
	for _, s := range r.Scores {
		if s.Kind == kind {
			return s
		}
	}
	if kind == "all" {
		return r.Overall
	}
	return Score{Kind: kind}
}

// Print writes the reports as two tables: indexing, then MRR@10,
// recall@10 and precision of the top 10 (P@10: the share of hits holding
// what was typed) per kind, one column per system.
func Print(w io.Writer, reps []Report) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "system\tdocs\tindex s\tdocs/s\tmean query ms\t")
	for _, r := range reps {
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.0f\t%.2f\t\n", r.System, r.Docs, r.IndexTime.Seconds(), r.DocsPerSec, float64(r.Overall.Latency.Microseconds())/1000)
	}
	tw.Flush()
	fmt.Fprintln(w)
	kinds := []string{}
	seen := map[string]bool{}
	for _, r := range reps {
		for _, s := range r.Scores {
			if !seen[s.Kind] {
				seen[s.Kind] = true
				kinds = append(kinds, s.Kind)
			}
		}
	}
	sort.Strings(kinds)
	kinds = append(kinds, "all")
	head := []string{"kind", "n"}
	for _, r := range reps {
		head = append(head, r.System+" MRR@10", "R@10", "P@10")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, k := range kinds {
		row := []string{k, ""}
		for _, r := range reps {
			s := r.Of(k)
			if s.N > 0 {
				row[1] = fmt.Sprint(s.N)
			}
			row = append(row, orDash(s.MRR), orDash(s.Recall), orDash(s.Precision))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()
}

func orDash(v float64) string {
	if v < 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f", v)
}

// PrintMisses lists the queries that did not rank their document first.
func PrintMisses(w io.Writer, r Report) {
	for _, s := range r.Scores {
		for _, m := range s.Misses {
			fmt.Fprintf(w, "%s\t%s\t%s\t%q\twant %s rank %d top %v %s\n", r.System, s.Kind, m.Query.QID, m.Query.Query, m.Query.DocID, m.Rank, m.Top, m.Cause)
		}
	}
}
