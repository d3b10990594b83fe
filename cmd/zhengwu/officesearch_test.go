package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	"zhengwu/officeapi/archive"
	"zhengwu/search/searchapi"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// checkArchivedDocumentSearch: an archive record has the id of the 公文 it
// archives, and office search finds both, each with its own link, for a
// reader of both (the 公文's drafter, whom the record keeps among its
// readers); the office index's reconciliation finds nothing to repair.
// Before the office index keyed its documents by collection and id, it
// held only the one applied last and every pass "repaired" the pair.
// Called from TestArchiveFixityOnTheMediaStore, which has the server.
func checkArchivedDocumentSearch(t *testing.T, srv *server, rec archive.Record, id string) {
	t.Helper()
	ctx := context.Background()
	var drafter string
	for _, r := range rec.Readers {
		if u, ok := strings.CutPrefix(r, auth.User("")); ok {
			drafter = u
			break
		}
	}
	if drafter == "" {
		t.Fatalf("archive record %s keeps no user among its readers: %v", id, rec.Readers)
	}
	reader := &auth.Principal{UserID: drafter, Clearance: classification.Juemi}
	res, err := srv.parts.search.Search(ctx, reader, searchapi.Request{Q: rec.Title, Scope: source.OfficeName, Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	for _, h := range res.Hits {
		if h.ID == id {
			links = append(links, h.Path)
		}
	}
	slices.Sort(links)
	want := []string{"/office/archive/records/" + id, "/office/documents/" + id}
	if !slices.Equal(links, want) {
		t.Fatalf("office search for %q finds %s at %q, want %q", rec.Title, id, links, want)
	}
	rep, err := srv.parts.search.Reconcile(ctx, source.OfficeName)
	if err != nil || rep.Repaired() != 0 {
		t.Fatalf("office index reconciliation = %+v, %v; want nothing to repair", rep, err)
	}
}
