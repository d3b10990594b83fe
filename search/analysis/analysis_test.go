package analysis_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"zhengwu/search/analysis"
	"zhengwu/search/analysis/analysistest"
)

func TestBigrams(t *testing.T) {
	t.Parallel()
	if got, want := analysistest.Terms(t, analysis.Analyzer, "加强森林防火，2026年ＡＢＣ"), []string{"加强", "强森", "森林", "林防", "防火", "2026", "年", "abc"}; !slices.Equal(got, want) {
		t.Errorf("zh: %q, want %q", got, want)
	}
}

// fixedSegmenter cuts by a fixed list of words.
type fixedSegmenter []string

func (f fixedSegmenter) Cut(string) []string { return f }

func TestWordsAndHybridModes(t *testing.T) {
	t.Parallel()
	seg := fixedSegmenter{"国务院办公厅", "印发", "通知"}
	var got []string
	for _, tok := range (&analysis.Tokenizer{Mode: analysis.Hybrid, Seg: seg}).Tokenize([]byte("国务院办公厅印发通知")) {
		got = append(got, fmt.Sprintf("%s@%d", tok.Term, tok.Position))
	}
	for _, w := range []string{"国务@1", "务院@2", "国务院办公厅@1", "印发@7", "通知@9"} {
		if !slices.Contains(got, w) {
			t.Errorf("hybrid %q lacks %q", got, w)
		}
	}
	got = nil
	for _, tok := range (&analysis.Tokenizer{Mode: analysis.Words, Seg: seg}).Tokenize([]byte("国务院办公厅印发通知")) {
		got = append(got, fmt.Sprintf("%s@%d", tok.Term, tok.Position))
	}
	if want := []string{"国务院办公厅@1", "印发@2", "通知@3"}; !slices.Equal(got, want) {
		t.Errorf("words %q, want %q", got, want)
	}
}

func TestPositionsAndOffsetsReferToTheInput(t *testing.T) {
	t.Parallel()
	in := "ＡＢ　國務院"
	a, _ := registry.NewCache().AnalyzerNamed(analysis.Analyzer)
	toks := a.Analyze([]byte(in))
	if len(toks) != 3 {
		t.Fatalf("tokens %v", toks)
	}
	for i, want := range []string{"ＡＢ", "國務", "務院"} {
		if got := in[toks[i].Start:toks[i].End]; got != want {
			t.Errorf("token %d %q spans %q, want %q", i, toks[i].Term, got, want)
		}
		if toks[i].Position != i+1 {
			t.Errorf("token %d position %d", i, toks[i].Position)
		}
	}
	if string(toks[1].Term) != "国务" {
		t.Errorf("traditional not folded: %q", toks[1].Term)
	}
}

func TestFold(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"ＡＢＣ１２３":   "abc123",
		"國務院辦公廳":   "国务院办公厅",
		"發展和改革委員會": "发展和改革委员会",
		"Ｈｅｌｌｏ　世界": "hello 世界",
		"〔２０２６〕":   "〔2026〕",
		"简体不变":     "简体不变",
	} {
		if got := analysis.Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDocNumberFormsNormaliseEqually(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"皖政办〔2026〕12号", "皖政办[2026]12号", "皖政办(2026)12号", "皖政办（2026）12号",
		"皖政办2026 12号", "皖政办【2026】12号", "皖政办［２０２６］１２号", " 皖政办〔2026〕012号 ",
		"皖政辦〔2026〕12號", "皖政办 2026-12",
	} {
		got, ok := analysis.DocNumber(in)
		if !ok || got != "皖政办2026-12" {
			t.Errorf("DocNumber(%q) = %q, %v; want 皖政办2026-12", in, got, ok)
		}
	}
	for in, want := range map[string]string{
		"国务院令第664号": "国务院令-664", "国务院令664号": "国务院令-664", "公安部令第１２７号": "公安部令-127",
		"劳社部发〔2008〕3号": "劳社部发2008-3", "国办发〔2023〕5号": "国办发2023-5",
	} {
		if got, ok := analysis.DocNumber(in); !ok || got != want {
			t.Errorf("DocNumber(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"关于加强森林防火的通知", "2026年工作报告", "十四五规划", "发展 2026", ""} {
		if got, ok := analysis.DocNumber(in); ok {
			t.Errorf("DocNumber(%q) = %q, want not a number", in, got)
		}
	}
	got := analysis.FindDocNumbers("根据皖政办〔2026〕12号和国办发[2025]3号文件")
	for _, want := range []string{"皖政办2026-12", "国办发2025-3"} {
		if !slices.Contains(got, want) {
			t.Errorf("FindDocNumbers = %q, lacks %q", got, want)
		}
	}
	if got := analysistest.Terms(t, analysis.DocNumberAnalyzer, "皖政办［2026］12号"); !slices.Equal(got, []string{"皖政办2026-12"}) {
		t.Errorf("docnum analyzer: %q", got)
	}
}

func TestSynonymsExpand(t *testing.T) {
	t.Parallel()
	s := analysis.EmbeddedSynonyms()
	if s.Len() < 30 {
		t.Errorf("embedded list has %d groups, want at least 30", s.Len())
	}
	got := s.Expand("发改委关于价格的通知", 0)
	for _, want := range []string{"发展和改革委员会关于价格的通知", "发展改革委关于价格的通知"} {
		if !slices.Contains(got, want) {
			t.Errorf("Expand = %q, lacks %q", got, want)
		}
	}
	// The longest term wins: 省政府办公厅 is not rewritten as 省政府 + 办公厅's synonyms.
	got = s.Expand("省政府办公厅通知", 0)
	if !slices.Contains(got, "办公厅通知") || slices.Contains(got, "省政府省政府办公厅通知") {
		t.Errorf("Expand(省政府办公厅通知) = %q", got)
	}
	if got := s.Expand("國辦", 0); !slices.Contains(got, "国务院办公厅") {
		t.Errorf("traditional abbreviation: %q", got)
	}
	for _, pair := range [][2]string{{"人社厅", "人力资源和社会保障厅"}, {"国办", "国务院办公厅"}, {"发改委", "发展和改革委员会"}} {
		if !slices.Contains(s.Of(pair[0]), pair[1]) || !slices.Contains(s.Of(pair[1]), pair[0]) {
			t.Errorf("%s ↔ %s missing", pair[0], pair[1])
		}
	}
	if got := s.Expand("没有缩写", 0); len(got) != 0 {
		t.Errorf("Expand without terms = %q", got)
	}
	if got := s.Expand("发改委 人社厅 国办", 2); len(got) != 2 {
		t.Errorf("max 2: %q", got)
	}
}

func TestSynonymsFileOverridesEmbedded(t *testing.T) {
	p := filepath.Join(t.TempDir(), "syn.txt")
	if err := os.WriteFile(p, []byte("# test\n甲局，甲管理局\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(analysis.SynonymsEnv, p)
	s, err := analysis.DefaultSynonyms()
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 1 || !slices.Equal(s.Of("甲局"), []string{"甲管理局"}) {
		t.Errorf("override not read: %d groups, %q", s.Len(), s.Of("甲局"))
	}
	if _, err := analysis.ParseSynonyms("只有一个\n"); err == nil {
		t.Error("a group of one term is accepted")
	}
}

func TestPrefixAnalyzer(t *testing.T) {
	t.Parallel()
	got := analysistest.Terms(t, analysis.PrefixAnalyzer, "关于加强森林防火的通知")
	for _, want := range []string{"关", "关于加", "关于加强森林防火的通", analysis.ExactKey("关于加强森林防火的通知")} {
		if !slices.Contains(got, want) {
			t.Errorf("prefix terms lack %q: %q", want, got)
		}
	}
	// Only prefixes: a stretch inside the title is found through the
	// title's bigrams, and the longest prefix is PrefixMaxRunes long.
	for _, unwanted := range []string{"森林防", "关于加强森林防火的通知"} {
		if slices.Contains(got, unwanted) {
			t.Errorf("prefix terms hold %q: %q", unwanted, got)
		}
	}
	if analysis.PrefixKey(" 森林　防火！") != "森林防火" {
		t.Errorf("PrefixKey = %q", analysis.PrefixKey(" 森林　防火！"))
	}
}

func TestAnalyzersValidateInAMapping(t *testing.T) {
	t.Parallel()
	for _, name := range []string{analysis.Analyzer, analysis.BigramAnalyzer, analysis.DocNumberAnalyzer, analysis.PrefixAnalyzer} {
		im := mapping.NewIndexMapping()
		im.DefaultAnalyzer = name
		if err := im.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
