package reindex_test

import (
	"zhengwu/search/feed"
	"zhengwu/search/index"
	"zhengwu/search/source"
	"zhengwu/shared/store"
)

func feedConsumer(st store.Store, ix *index.Index, src *source.Source) *feed.Consumer {
	return src.Consumer(st, ix)
}
