package video

import (
	"zhengwu/search/source"
	"zhengwu/shared/store"
)

// SearchProjection puts published videos into the office search index with
// the readers AccessOf gives them, so that search finds a video for
// exactly those who may play it.
func SearchProjection() source.Projection {
	return source.Projection{Index: source.OfficeName, Collection: Collection, Project: searchProject}
}

func searchProject(d store.Doc) (source.Doc, bool) {
	var v Video
	if err := d.Decode(&v); err != nil || v.State != StatePublished {
		return source.Doc{}, false
	}
	acc := AccessOf(&v)
	return source.Doc{Title: v.Title, Summary: v.Speaker, Body: v.Description, Type: "video",
		Path: Link(v.ID), Classification: acc.Classification, Readers: acc.Readers,
		Visibility: source.Internal, Department: v.Department, PublishedAt: v.CreatedAt}, true
}
