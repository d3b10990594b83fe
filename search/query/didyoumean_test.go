package query_test

import (
	"slices"
	"testing"

	bq "github.com/blevesearch/bleve/v2/search/query"

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

// A word typed in pinyin, in full or as first letters, is offered the
// synonym terms and the title stretches it spells; a word that spells
// nothing known is offered nothing.
func TestCorrectionsFromPinyin(t *testing.T) {
	t.Parallel()
	syn := analysis.EmbeddedSynonyms()
	titles := []string{"关于加强森林草原火灾防控工作的通知", "省住建厅部署物业服务管理工作", "省人民政府关于印发规划的通知"}
	for _, c := range []struct {
		text string
		want []string
	}{
		{"fagaiwei", []string{"发改委"}},
		{"zfgy", []string{"政府关于"}}, // 于 read as usual, yú
		{"zfgw", nil},              // not as its rare wū: first letters follow the usual reading
		{"fgw", []string{"发改委"}},
		{"zhujianting", []string{"住建厅"}},
		{"ZhuJianTing", []string{"住建厅"}},    // folded to lower case
		{"zhu jian ting", []string{"住建厅"}},  // syllables typed apart
		{"senlincaoyuan", []string{"森林草原"}}, // from a title
		{"slcy", []string{"森林草原"}},          // first letters, from a title
		{"wuye 管理", []string{"物业 管理"}},      // one word of several
		{"qwxz", nil}, // spells nothing known
		{"pdf", nil},
	} {
		if got := query.Corrections(c.text, titles, syn); !slices.Equal(got, c.want) {
			t.Errorf("Corrections(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// PinyinTitles is nil for text with no word that may be pinyin.
func TestPinyinTitlesOnlyForLetters(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "发改委", "2026", "a"} {
		if q := query.PinyinTitles(s); q != nil {
			t.Errorf("PinyinTitles(%q) = %v, want nil", s, q)
		}
	}
	if query.PinyinTitles("fagaiwei") == nil {
		t.Error("PinyinTitles(fagaiwei) = nil")
	}
}

// A text of many Latin words is not turned into ever more regular
// expressions: PinyinTitles stops at its budget.
func TestPinyinTitlesIsBounded(t *testing.T) {
	t.Parallel()
	q := query.PinyinTitles("annual report on the work of the provincial government digital services")
	var count func(bq.Query) int
	count = func(q bq.Query) int {
		n := 0
		switch q := q.(type) {
		case *bq.RegexpQuery:
			return 1
		case *bq.DisjunctionQuery:
			for _, d := range q.Disjuncts {
				n += count(d)
			}
		case *bq.ConjunctionQuery:
			for _, c := range q.Conjuncts {
				n += count(c)
			}
		}
		return n
	}
	n := 0
	if q != nil {
		n = count(q)
	}
	if n == 0 || n > 16 {
		t.Errorf("PinyinTitles of an English sentence: %d regular expressions", n)
	}
}
