package video

import (
	"zhengwu/shared/attachment"
	"zhengwu/shared/store"
)

// MediaRule decides a download of a video's file or poster: readable
// exactly by those who may see the video (AccessOf) while it names the
// file. The player streams through the media store's route (Range, 206).
func MediaRule(st store.Store) attachment.Rule {
	return attachment.AccessRule(st, Collection, (*Video).MediaIDs, AccessOf)
}
