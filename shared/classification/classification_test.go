package classification

import "testing"

func TestLevelsRankLowestFirst(t *testing.T) {
	order := []Level{Feimi, Mimi, Jimi, Juemi}
	for i, l := range order {
		if l.Rank() != i {
			t.Errorf("%s ranks %d, want %d", l, l.Rank(), i)
		}
	}
	// The reading the names guard against: 秘密 is below 机密.
	if Mimi.Covers(Jimi) || !Jimi.Covers(Mimi) {
		t.Fatal("秘密 must rank below 机密")
	}
}

func TestUnknownLevelsCoverNothingAndAreCoveredByNothing(t *testing.T) {
	for _, bad := range []Level{"", "secret", "机密 ", "内部"} {
		if bad.Valid() || bad.Rank() != -1 {
			t.Errorf("%q is valid", bad)
		}
		if Juemi.Covers(bad) {
			t.Errorf("绝密 covers %q", bad)
		}
		if bad.Covers(Feimi) {
			t.Errorf("%q covers 非密", bad)
		}
	}
}

func TestUpToTheCeiling(t *testing.T) {
	got := Names(UpTo(DefaultCeiling))
	want := []string{"非密", "秘密", "机密"}
	if len(got) != len(want) {
		t.Fatalf("UpTo(机密) = %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("UpTo(机密) = %v", got)
		}
	}
	if len(UpTo(Juemi)) != 4 || UpTo("x") != nil {
		t.Fatal("UpTo bounds")
	}
}
