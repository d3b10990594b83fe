package archive

import (
	"time"

	"zhengwu/search/source"
	"zhengwu/shared/store"
)

// SearchProjection puts every record into the office search index with
// AccessOf's readers and 密级, as officialdoc's does its documents: the
// search service puts the reader's rights into every query, so a record
// is found only by those who may open it. Its channel is "archive".
func SearchProjection() source.Projection {
	return source.Projection{Index: source.OfficeName, Collection: Collection, Project: searchProject}
}

// Channel is the records' channel in the office index.
const Channel = "archive"

func searchProject(sd store.Doc) (source.Doc, bool) {
	var r Record
	if err := sd.Decode(&r); err != nil {
		return source.Doc{}, false
	}
	acc := AccessOf(&r)
	out := source.Doc{Title: r.Title, DocNumber: r.DocNumber, Summary: r.ArchiveNo + " " + r.Retention, Type: r.DocType,
		Channel: Channel, Issuer: r.Issuer, Path: "/office/archive/records/" + sd.ID, PublishedAt: r.ArchivedAt,
		Classification: acc.Classification, Readers: acc.Readers, Department: r.Department, State: r.Status}
	if on, err := time.ParseInLocation(time.DateOnly, r.WrittenOn, source.ChinaTime); err == nil {
		out.IssuedAt = on
	}
	return out, true
}
