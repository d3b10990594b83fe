// Package jieba registers the cgo segmenter github.com/yanyiwu/gojieba
// with Bleve as a candidate Chinese analyzer, so that the relevance
// harness can measure it beside the chosen analyzer on the same data
// (docs/adr/0006-chinese-analyzer.md). It is not part of the product: only
// the relevance command imports it, so the service binary needs
// neither cgo nor jieba's dictionary files, which gojieba reads from its
// module directory at run time. Without cgo it builds empty (no
// analyzers registered).
package jieba

// Names of the registered analyzers.
const (
	// WordsAnalyzer is jieba's words (precise mode with HMM).
	WordsAnalyzer = "zh_jieba"
	// HybridAnalyzer is analysis.Hybrid mode with jieba as segmenter.
	HybridAnalyzer = "zh_jieba_hybrid"
)
