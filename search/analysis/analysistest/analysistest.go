// Package analysistest reads back what an analyzer makes of a text, for
// the tests of the analyzers (search/analysis and its segmenters).
package analysistest

import (
	"testing"

	"github.com/blevesearch/bleve/v2/registry"
)

// Terms is the terms, in order, that the registered analyzer named
// analyzer makes of text; an analyzer that is not registered (its
// package not imported) fails the test.
func Terms(t testing.TB, analyzer, text string) []string {
	t.Helper()
	a, err := registry.NewCache().AnalyzerNamed(analyzer)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, tok := range a.Analyze([]byte(text)) {
		out = append(out, string(tok.Term))
	}
	return out
}
