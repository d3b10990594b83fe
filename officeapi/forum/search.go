package forum

import (
	"strings"

	"zhengwu/search/source"
	"zhengwu/shared/richtext"
	"zhengwu/shared/store"
)

// SearchProjection puts threads into the office search index with the
// readers AccessOf gives them; a hidden thread is left out, hidden replies'
// text too.
func SearchProjection() source.Projection {
	return source.Projection{Index: source.OfficeName, Collection: Collection, Project: searchProject}
}

func searchProject(d store.Doc) (source.Doc, bool) {
	var t Thread
	if err := d.Decode(&t); err != nil || t.Hidden {
		return source.Doc{}, false
	}
	var body strings.Builder
	body.WriteString(richtext.PlainText(t.Body))
	for _, r := range t.Replies {
		if !r.Hidden {
			body.WriteString("\n" + richtext.PlainText(r.Body))
		}
	}
	acc := AccessOf(&t)
	return source.Doc{Title: t.Title, Body: body.String(), Type: "论坛帖子", Path: "/office/forum/threads/" + t.ID,
		Classification: acc.Classification, Readers: acc.Readers, Visibility: source.Internal,
		Department: t.Department, PublishedAt: t.CreatedAt}, true
}
