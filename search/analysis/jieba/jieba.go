//go:build cgo

package jieba

import (
	"sync"
	"time"

	blevean "github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/yanyiwu/gojieba"

	"zhengwu/search/analysis"
)

// Segmenter is jieba as an analysis.Segmenter. gojieba's Cut is safe for
// concurrent use.
type Segmenter struct{ j *gojieba.Jieba }

// Cut implements analysis.Segmenter.
func (s *Segmenter) Cut(run string) []string { return s.j.Cut(run, true) }

var (
	once     sync.Once
	shared   *Segmenter
	loadTime time.Duration
)

// Load loads jieba's dictionaries once per process.
func Load() *Segmenter {
	once.Do(func() {
		start := time.Now()
		shared = &Segmenter{j: gojieba.NewJieba()}
		loadTime = time.Since(start)
	})
	return shared
}

// LoadTime is how long Load took.
func LoadTime() time.Duration {
	Load()
	return loadTime
}

func init() {
	for name, mode := range map[string]analysis.Mode{WordsAnalyzer: analysis.Words, HybridAnalyzer: analysis.Hybrid} {
		registry.RegisterTokenizer(name, func(map[string]any, *registry.Cache) (blevean.Tokenizer, error) {
			return &analysis.Tokenizer{Mode: mode, Seg: Load()}, nil
		})
		registry.RegisterAnalyzer(name, func(_ map[string]any, c *registry.Cache) (blevean.Analyzer, error) {
			tok, err := c.TokenizerNamed(name)
			if err != nil {
				return nil, err
			}
			return &blevean.DefaultAnalyzer{Tokenizer: tok}, nil
		})
	}
}
