package layout

import (
	"runtime"
	"testing"
	"time"

	"github.com/tdewolff/canvas"
)

// A parsed font is kept one per file, taken by one rendering at a time,
// kept for keep after the last give of its file, and then dropped.
func TestFontCacheKeepsOneIdleThenDrops(t *testing.T) {
	c := fontCache{keep: time.Hour}
	f, g := FontFile{Path: "/fonts/fangsong.ttf"}, FontFile{Path: "/fonts/hei.ttc", Index: 1}
	a, b := canvas.NewFontFamily("a"), canvas.NewFontFamily("b")
	if c.take(f) != nil {
		t.Fatal("an empty cache gave a font")
	}
	c.give(f, a)
	c.give(g, b)
	if n := c.held(); n != 2 {
		t.Fatalf("%d fonts idle, want one of each file", n)
	}
	if got := c.take(f); got != a {
		t.Fatalf("took %v, want the one given", got)
	}
	if c.take(f) != nil {
		t.Fatal("one font served two renderings")
	}

	// Two renderings of f give theirs back: one is kept, as of the later.
	c.give(f, a)
	c.mu.Lock()
	c.idle[f] = idleFont{a, time.Now().Add(-2 * time.Hour)} // given back longer ago than keep
	c.mu.Unlock()
	c.give(f, canvas.NewFontFamily("a2"))
	// g's font has been idle for keep; f's was given back again just now.
	c.mu.Lock()
	c.idle[g] = idleFont{b, time.Now().Add(-time.Hour)}
	c.mu.Unlock()
	c.expire()
	if got := c.take(f); got != a {
		t.Fatalf("f's font after the sweep: %v, want the first one, kept", got)
	}
	if c.take(g) != nil {
		t.Fatal("g's font outlived keep")
	}
	c.mu.Lock()
	if c.sweep != nil {
		c.sweep.Stop()
	}
	c.mu.Unlock()

	// The timer does the sweeping.
	c = fontCache{keep: 50 * time.Millisecond}
	c.give(f, a)
	deadline := time.Now().Add(5 * time.Second)
	for c.held() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := c.held(); n != 0 {
		t.Fatalf("%d fonts still idle long after keep", n)
	}
}

// A rendering after the collector has run twice (a busy server under the
// memory governor collects every second or two) parses no font again:
// the fonts of the last rendering are still there. A sync.Pool had
// dropped them, and each rendering allocated ~85 MB parsing three files.
// Not parallel: another rendering at once would take the kept fonts.
func TestRenderAfterCollectionsParsesNoFont(t *testing.T) {
	f := fontsOrSkip(t)
	if _, err := Render(notice(), f); err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := Render(notice(), f); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if mb := float64(after.TotalAlloc-before.TotalAlloc) / (1 << 20); mb > 25 {
		t.Errorf("a rendering after two collections allocated %.1f MB: it parsed its fonts again", mb)
	}
}
