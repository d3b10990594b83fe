package assistanthttp_test

import (
	"context"
	"testing"

	"zhengwu/officeapi/assistant"
)

// BenchmarkContactsSearch is a directory search by pinyin initials beside
// its baseline, reading the org tree's people alone (identity.Directory),
// in the same run: the ratio is what the pinyin, the cards and the
// matching cost on top of reading the people.
func BenchmarkContactsSearch(b *testing.B) {
	e, svc, _ := newEnvB(b)
	ctx := context.Background()
	if _, err := svc.SeedDemo(ctx, e.Identity.PrincipalByUsername); err != nil {
		b.Fatal(err)
	}
	p, err := e.Identity.PrincipalByUsername(ctx, "staff")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("baseline=identity.Directory", func(b *testing.B) {
		for b.Loop() {
			if _, err := e.Identity.Directory(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("contacts?q=lzq", func(b *testing.B) {
		for b.Loop() {
			if l, err := svc.Contacts(ctx, p, assistant.ContactQuery{Q: "lzq"}); err != nil || l.Total != 1 {
				b.Fatal(l.Total, err)
			}
		}
	})
}
