package info

import (
	"zhengwu/search/source"
	"zhengwu/shared/richtext"
	"zhengwu/shared/store"
)

// SearchProjection puts published items into the office search index,
// with the readers AccessOf gives them, so that search finds an item for
// exactly those who may open it.
func SearchProjection() source.Projection {
	return source.Projection{Index: source.OfficeName, Collection: Collection, Project: searchProject}
}

func searchProject(d store.Doc) (source.Doc, bool) {
	var it Item
	if err := d.Decode(&it); err != nil || it.State != StatePublished {
		return source.Doc{}, false
	}
	acc := AccessOf(&it)
	sd := source.Doc{
		Title: it.Title, Summary: it.Summary, Body: richtext.PlainText(it.Body), Type: it.Kind,
		Path: "/office/info/items/" + it.ID, Classification: acc.Classification, Readers: acc.Readers,
		Visibility: source.Internal, Department: it.Department,
	}
	if it.PublishedAt != nil {
		sd.PublishedAt = *it.PublishedAt
	}
	return sd, true
}
