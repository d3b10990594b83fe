package archive

import (
	"testing"
	"time"
)

// The content digest covers what was archived and nothing appended since,
// so events can be added without breaking it and any other change breaks it.
func TestContentDigestCoversTheContentOnly(t *testing.T) {
	r := Record{ID: "d1", ArchiveNo: "Z001-2026-Y-0001", Title: "关于做好值班工作的通知", Readers: []string{"user:u1"},
		Parts: []Part{{Kind: PartPDF, Name: "a.pdf", Media: "m", Size: 3, SHA256: "abc"}}, ArchivedAt: time.Unix(1e9, 0).UTC()}
	base := contentDigest(&r)
	appended := r
	appended.Events = []Event{{Kind: EventFixity, Outcome: FixityBroken}}
	appended.Status, appended.Fixity, appended.Appraisal, appended.ExpiresOn = StatusRevoked, FixityBroken, Keep, "2060-12-31"
	appended.FixityAt = time.Now()
	if contentDigest(&appended) != base {
		t.Fatal("appending events changed the content digest")
	}
	for name, change := range map[string]func(*Record){
		"title":     func(r *Record) { r.Title += "（修改）" },
		"readers":   func(r *Record) { r.Readers = append(r.Readers, "user:u2") },
		"part hash": func(r *Record) { r.Parts = []Part{{Kind: PartPDF, Name: "a.pdf", Media: "m", Size: 3, SHA256: "abd"}} },
		"retention": func(r *Record) { r.Retention = Term10 },
	} {
		c := r
		change(&c)
		if contentDigest(&c) == base {
			t.Errorf("a changed %s kept the digest", name)
		}
	}
}

func TestExpiryAndDefaults(t *testing.T) {
	if got := expiry(2026, Term10); got != "2036-12-31" {
		t.Errorf("定期10年 of 2026 ends %s", got)
	}
	if got := expiry(2026, Permanent); got != "" {
		t.Errorf("永久 ends %q", got)
	}
	for docType, want := range map[string]string{"决定": Permanent, "函": Term10, "通知": Term30, "纪要": Term30} {
		if got := DefaultRetention(docType); got != want {
			t.Errorf("%s: %s, want %s", docType, got, want)
		}
	}
}
