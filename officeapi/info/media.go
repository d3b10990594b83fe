package info

import (
	"zhengwu/shared/attachment"
	"zhengwu/shared/store"
)

// MediaRule decides a download of a file attached to an information
// item: it is readable exactly by those who may read the item (AccessOf),
// while the item still attaches it.
func MediaRule(st store.Store) attachment.Rule {
	return attachment.AccessRule(st, Collection, (*Item).MediaIDs, AccessOf)
}
