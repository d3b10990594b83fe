// Package gse registers the pure-Go word segmenter github.com/go-ego/gse
// with Bleve as candidate Chinese analyzers (words, and words plus bigrams),
// so that the relevance harness can measure it beside the chosen analyzer
// on the same data (docs/adr/0006-chinese-analyzer.md). The product does
// not import it: importing gse adds about 33 MB to a binary (its embedded
// dictionaries are kept because Bleve's use of reflection disables the
// linker's pruning of exported methods) and a dictionary load at start.
package gse

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/go-ego/gse"

	zh "zhengwu/search/analysis"
)

// Names of the registered analyzers.
const (
	// WordsAnalyzer is gse's words, one position each.
	WordsAnalyzer = "zh_gse"
	// HybridAnalyzer is gse's words of three or more characters on top of
	// the bigrams (analysis.Hybrid).
	HybridAnalyzer = "zh_gse_hybrid"
)

func init() {
	for name, mode := range map[string]zh.Mode{WordsAnalyzer: zh.Words, HybridAnalyzer: zh.Hybrid} {
		registry.RegisterTokenizer(name, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
			seg, err := LoadDictionary()
			if err != nil {
				return nil, err
			}
			return &zh.Tokenizer{Mode: mode, Seg: seg}, nil
		})
		registry.RegisterAnalyzer(name, func(_ map[string]any, c *registry.Cache) (analysis.Analyzer, error) {
			tok, err := c.TokenizerNamed(name)
			if err != nil {
				return nil, err
			}
			return &analysis.DefaultAnalyzer{Tokenizer: tok}, nil
		})
	}
}

// dict.txt.gz is the word dictionary of the gse segmenter: gse's
// simplified-Chinese dictionary (data/dict/zh/s_1.txt, Apache-2.0) cut to
// the words that matter for search: every single character, and the words
// of 2–8 Chinese characters with frequency ≥ 5 (141k of 352k entries).
// Loading it takes a third of the time of the full one and it adds 0.8 MB
// compressed instead of 15 MB (see ADR 0006).
//
//go:embed dict.txt.gz
var dictGz []byte

// GseSegmenter is the pure-Go word segmenter (github.com/go-ego/gse) with
// Zhengwu's embedded dictionary, cutting by the dictionary's word
// frequencies without the HMM for unknown words (faster, and deterministic
// across the index and the query).
type GseSegmenter struct {
	seg gse.Segmenter
}

var (
	gseOnce     sync.Once
	gseShared   *GseSegmenter
	gseErr      error
	gseLoadTime time.Duration
)

// LoadDictionary loads the segmenter's dictionary once per process and
// returns the shared segmenter; later calls return at once. The analyzers
// call it on first use.
func LoadDictionary() (*GseSegmenter, error) {
	gseOnce.Do(func() {
		start := time.Now()
		gseShared, gseErr = NewGseSegmenter(dictGz)
		gseLoadTime = time.Since(start)
	})
	return gseShared, gseErr
}

// DictionaryLoadTime is how long LoadDictionary took (0 before it ran).
func DictionaryLoadTime() time.Duration {
	LoadDictionary()
	return gseLoadTime
}

// NewGseSegmenter builds a segmenter from a gzipped dictionary in gse's
// text format ("word frequency" a line). The abbreviations and full names
// of the embedded synonym list are added as words.
func NewGseSegmenter(gz []byte) (*GseSegmenter, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("analysis: dictionary: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("analysis: dictionary: %w", err)
	}
	g := &GseSegmenter{}
	g.seg.SkipLog = true
	g.seg.NotLoadHMM = true
	if err := g.seg.LoadDictStr(string(raw)); err != nil {
		return nil, fmt.Errorf("analysis: dictionary: %w", err)
	}
	for _, t := range zh.EmbeddedSynonyms().Terms() {
		if isAllHan(t) {
			g.seg.AddToken(t, 1000)
		}
	}
	return g, nil
}

// Cut implements analysis.Segmenter.
func (g *GseSegmenter) Cut(run string) []string { return g.seg.Cut(run, false) }

func isAllHan(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return !zh.IsHan(r) }) < 0
}
