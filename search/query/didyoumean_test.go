package query_test

import (
	"slices"
	"testing"

	"zhengwu/search/analysis"
	"zhengwu/search/query"
)

func TestCorrections(t *testing.T) {
	t.Parallel()
	syn := analysis.EmbeddedSynonyms()
	titles := []string{"关于加强森林草原火灾防控工作的通知"}
	for _, c := range []struct {
		text string
		want []string
	}{
		{"森林草源火灾", []string{"森林草原火灾"}},
		{"发该委", []string{"发改委"}},
		{"主建厅 物业", []string{"住建厅 物业"}},
		{"森林草原", nil},                    // already in the title
		{"防空", nil},                      // two characters: no guess
		{"遥远星系观测", nil},                  // nothing close
		{"森林草源 火灾", []string{"森林草原 火灾"}}, // each word corrected in place
	} {
		if got := query.Corrections(c.text, titles, syn); !slices.Equal(got, c.want) {
			t.Errorf("Corrections(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}
