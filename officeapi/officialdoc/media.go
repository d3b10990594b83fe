package officialdoc

import (
	"zhengwu/shared/attachment"
	"zhengwu/shared/store"
)

// MediaRule is how the media store decides a download of a 公文's file:
// whoever may read the document (AccessOf) may read the files it still
// attaches (附件, and the images its 正文 shows). Each document records a
// reference to its files in the write that attaches them.
func MediaRule(st store.Store) attachment.Rule {
	return attachment.AccessRule(st, Collection, (*Document).files, AccessOf)
}
