package analysis

import (
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names under which the package registers its tokenizers and analyzers
// with Bleve (each analyzer is its tokenizer of the same name, alone).
const (
	// Analyzer is Zhengwu's Chinese analyzer for full text (ADR 0006):
	// folded text (width, case, traditional characters), Chinese runs as
	// overlapping bigrams, letters and digits as words. It needs no
	// dictionary.
	Analyzer = "zh"
	// BigramAnalyzer is the same tokens as Analyzer, under the name the
	// query builder uses for its strict (all tokens) clauses.
	BigramAnalyzer = "zh_bigram"
	// DocNumberAnalyzer makes one token of a whole field: its DocNumber
	// form when it is a document number, else the folded text without
	// spaces. Map the docNumber field with it.
	DocNumberAnalyzer = "zh_docnum"
	// PrefixAnalyzer indexes, for title autocomplete, the prefixes of 1 to
	// PrefixMaxRunes characters of the folded text (letters, digits and
	// Chinese characters; a run of letters or digits is one character
	// here), so 关于加强森林防火的通知 is found by 关, 关于加 or 关于加强森林.
	// Query it with a term query on PrefixKey(typed text). It also holds
	// the whole text as one term, ExactKey(text). Words inside a title
	// (森林防) are found through the title's bigrams (query.Autocomplete):
	// indexing every stretch of every title made millions of terms that
	// nothing else shares, and cost a third of the indexing time.
	PrefixAnalyzer = "zh_prefix"
)

// PrefixMaxRunes is the longest prefix PrefixAnalyzer indexes.
const PrefixMaxRunes = 10

func init() {
	reg := func(name string, mk func() (analysis.Tokenizer, error)) {
		registry.RegisterTokenizer(name, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) { return mk() })
		registry.RegisterAnalyzer(name, func(_ map[string]any, c *registry.Cache) (analysis.Analyzer, error) {
			tok, err := c.TokenizerNamed(name)
			if err != nil {
				return nil, err
			}
			return &analysis.DefaultAnalyzer{Tokenizer: tok}, nil
		})
	}
	bigrams := func() (analysis.Tokenizer, error) { return &Tokenizer{Mode: Bigrams}, nil }
	reg(Analyzer, bigrams)
	reg(BigramAnalyzer, bigrams)
	reg(DocNumberAnalyzer, func() (analysis.Tokenizer, error) { return docNumberTokenizer{}, nil })
	reg(PrefixAnalyzer, func() (analysis.Tokenizer, error) { return prefixTokenizer{}, nil })
}

// DocNumberKey is the term the docNumber field holds for s: its DocNumber
// form, or the folded text without spaces when s is not a document number.
func DocNumberKey(s string) string {
	if n, ok := DocNumber(s); ok {
		return n
	}
	return strings.Join(strings.Fields(Fold(s)), "")
}

type docNumberTokenizer struct{}

func (docNumberTokenizer) Tokenize(input []byte) analysis.TokenStream {
	key := DocNumberKey(string(input))
	if key == "" {
		return nil
	}
	return analysis.TokenStream{{Term: []byte(key), Start: 0, End: len(input), Position: 1, Type: analysis.AlphaNumeric}}
}

// PrefixKey is the term to look up in a PrefixAnalyzer field for what a
// user typed: folded, without spaces and punctuation, at most
// PrefixMaxRunes characters.
func PrefixKey(typed string) string {
	var b strings.Builder
	n := 0
	for _, r := range Fold(typed) {
		if IsHan(r) || isAlnum(r) {
			b.WriteRune(r)
			if n++; n == PrefixMaxRunes {
				break
			}
		}
	}
	return b.String()
}

// ExactKey is the term a PrefixAnalyzer field holds for its whole text
// (besides the prefixes): "=" and the folded text without spaces and
// punctuation, so that a query equal to a title can be matched exactly.
func ExactKey(s string) string {
	var b strings.Builder
	b.WriteByte('=')
	for _, r := range Fold(s) {
		if IsHan(r) || isAlnum(r) {
			b.WriteRune(r)
		}
	}
	if b.Len() == 1 {
		return ""
	}
	return b.String()
}

type prefixTokenizer struct{}

// Tokenize emits ExactKey(input), then the prefixes of 1 to
// PrefixMaxRunes units, where a unit is a Chinese character or a run of
// letters or digits.
func (prefixTokenizer) Tokenize(input []byte) analysis.TokenStream {
	units := (&Tokenizer{Mode: unitMode}).Tokenize(input)
	var out analysis.TokenStream
	if key := ExactKey(string(input)); key != "" {
		out = append(out, &analysis.Token{Term: []byte(key), Start: 0, End: len(input), Position: 1, Type: analysis.Shingle})
	}
	var term []byte
	for n := 0; n < PrefixMaxRunes && n < len(units); n++ {
		term = append(term, units[n].Term...)
		out = append(out, &analysis.Token{
			Term: append([]byte(nil), term...), Start: units[0].Start, End: units[n].End,
			Position: 1, Type: analysis.Shingle,
		})
	}
	return out
}
