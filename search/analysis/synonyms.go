package analysis

import (
	_ "embed"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync/atomic"
)

//go:embed synonyms.txt
var defaultSynonyms string

// SynonymsEnv names the environment variable that, when set, points at a
// synonym file to use instead of the embedded one (see DefaultSynonyms).
const SynonymsEnv = "ZHENGWU_SEARCH_SYNONYMS"

// Synonyms is a list of groups of interchangeable terms (发改委,
// 发展和改革委员会). It is applied at query time: Expand rewrites a query, so
// the list can be edited without reindexing. Safe for concurrent use once
// built.
type Synonyms struct {
	groups [][]string       // folded terms
	byTerm map[string][]int // folded term → groups it belongs to
	terms  []string         // all folded terms, longest first
}

// ParseSynonyms reads the synonym format: one group a line, terms separated
// by commas (ASCII or full-width) or 、; blank lines and lines starting with
// # are ignored. Terms are folded (FoldRune), so 國辦 and 国办 are one.
func ParseSynonyms(text string) (*Synonyms, error) {
	s := &Synonyms{byTerm: map[string][]int{}}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var group []string
		seen := map[string]bool{}
		for _, t := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
			t = strings.Join(strings.Fields(Fold(t)), "")
			if t != "" && !seen[t] {
				seen[t] = true
				group = append(group, t)
			}
		}
		if len(group) < 2 {
			return nil, &LineError{Line: n + 1, Text: line}
		}
		gi := len(s.groups)
		s.groups = append(s.groups, group)
		for _, t := range group {
			if len(s.byTerm[t]) == 0 {
				s.terms = append(s.terms, t)
			}
			s.byTerm[t] = append(s.byTerm[t], gi)
		}
	}
	sort.SliceStable(s.terms, func(i, j int) bool { return len(s.terms[i]) > len(s.terms[j]) })
	return s, nil
}

// LineError is a line of a synonym list that is not a group: fewer than
// two distinct terms. Line counts from 1, as an editor shows it.
type LineError struct {
	Line int
	Text string
}

func (e *LineError) Error() string {
	return fmt.Sprintf("synonyms line %d: a group needs at least two terms: %q", e.Line, e.Text)
}

// Zh says what is wrong in Chinese, naming the line.
func (e *LineError) Zh() string {
	return fmt.Sprintf("第 %d 行：每组至少要有两个不同的词，用逗号或顿号分隔（%s）", e.Line, e.Text)
}

// LoadSynonyms reads a synonym file (the format of ParseSynonyms).
func LoadSynonyms(path string) (*Synonyms, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("synonyms: %w", err)
	}
	return ParseSynonyms(string(b))
}

// DefaultSynonyms is the list in the file named by $ZHENGWU_SEARCH_SYNONYMS
// when that is set, else the list embedded in the binary (synonyms.txt).
func DefaultSynonyms() (*Synonyms, error) {
	if p := os.Getenv(SynonymsEnv); p != "" {
		return LoadSynonyms(p)
	}
	return EmbeddedSynonyms(), nil
}

// EmbeddedSynonymsText is the embedded list's text: the seed an editor
// starts from before any list is stored.
func EmbeddedSynonymsText() string { return defaultSynonyms }

// live is the list query building uses by default (LiveSynonyms).
var live atomic.Pointer[Synonyms]

// LiveSynonyms is the synonym list in force: the one SetLiveSynonyms set
// last (the list editors keep in the store, package search/analytics),
// else DefaultSynonyms. It is read at every query, so that an edit applies
// to the next search without a rebuild: never keep its terms in a
// variable made at init.
func LiveSynonyms() *Synonyms {
	if s := live.Load(); s != nil {
		return s
	}
	s, err := DefaultSynonyms()
	if err != nil {
		s = EmbeddedSynonyms()
	}
	live.CompareAndSwap(nil, s)
	return live.Load()
}

// SetLiveSynonyms puts s in force for the queries built from now on; nil
// goes back to DefaultSynonyms.
func SetLiveSynonyms(s *Synonyms) { live.Store(s) }

// EmbeddedSynonyms is the list embedded in the binary.
func EmbeddedSynonyms() *Synonyms {
	s, err := ParseSynonyms(defaultSynonyms)
	if err != nil {
		panic(err) // the embedded file is checked by the tests
	}
	return s
}

// Terms are all the terms of the list, folded, longest first.
func (s *Synonyms) Terms() []string { return append([]string(nil), s.terms...) }

// Len is the number of groups.
func (s *Synonyms) Len() int { return len(s.groups) }

// Of returns the other terms of every group that term belongs to.
func (s *Synonyms) Of(term string) []string {
	if s == nil {
		return nil
	}
	t := Fold(term)
	var out []string
	for _, gi := range s.byTerm[t] {
		for _, o := range s.groups[gi] {
			if o != t {
				out = append(out, o)
			}
		}
	}
	return out
}

// Expand returns the variants of a (folded) query in which one abbreviation
// or full name it contains is replaced by each of its synonyms, the
// query's own text not included. The longest term found wins where terms
// overlap (省政府办公厅 before 办公厅); at most max variants are returned
// (max <= 0: no limit).
func (s *Synonyms) Expand(query string, max int) []string {
	var out []string
	for _, r := range s.Rewrites(query, max) {
		out = append(out, r.Text())
	}
	return out
}

// Rewrite is one variant of a query: the folded query with Term, found
// between Before and After, replaced by its synonym Synonym.
type Rewrite struct {
	Before, Term, Synonym, After string
}

// Text is the rewritten query.
func (r Rewrite) Text() string { return r.Before + r.Synonym + r.After }

// Rest is the query's text around the synonym, the two sides separated
// by a space ("" when the synonym is the whole query).
func (r Rewrite) Rest() string { return strings.TrimSpace(r.Before + " " + r.After) }

// Rewrites are Expand's variants with where the synonym stands in each, so
// that a query builder can require the synonym whole (as a phrase) and
// treat the rest of the text as the query's own.
func (s *Synonyms) Rewrites(query string, max int) []Rewrite {
	if s == nil {
		return nil
	}
	q := Fold(query)
	var out []Rewrite
	seen := map[string]bool{q: true}
	covered := make([]bool, len(q)) // bytes already part of a longer match
	for _, t := range s.terms {
		for off := 0; ; {
			i := strings.Index(q[off:], t)
			if i < 0 {
				break
			}
			i += off
			off = i + len(t)
			if anyTrue(covered[i : i+len(t)]) {
				continue
			}
			for k := i; k < i+len(t); k++ {
				covered[k] = true
			}
			for _, o := range s.Of(t) {
				r := Rewrite{Before: q[:i], Term: t, Synonym: o, After: q[i+len(t):]}
				if v := r.Text(); !seen[v] {
					seen[v] = true
					out = append(out, r)
					if max > 0 && len(out) >= max {
						return out
					}
				}
			}
		}
	}
	return out
}

func anyTrue(b []bool) bool {
	for _, v := range b {
		if v {
			return true
		}
	}
	return false
}
