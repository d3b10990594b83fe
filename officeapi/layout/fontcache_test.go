package layout

import (
	"runtime"
	"testing"
	"time"

	"github.com/tdewolff/canvas"
)

// A parsed font is kept one per file, taken by one rendering at a time,
// and dropped once idle for keep.
func TestFontCacheKeepsOneIdleThenDrops(t *testing.T) {
	c := fontCache{keep: 50 * time.Millisecond}
	f := FontFile{Path: "/fonts/fangsong.ttf"}
	a, b := canvas.NewFontFamily("a"), canvas.NewFontFamily("b")
	if c.take(f) != nil {
		t.Fatal("an empty cache gave a font")
	}
	c.give(f, a)
	c.give(f, b) // a second one at once: dropped
	if n := c.held(); n != 1 {
		t.Fatalf("%d fonts idle, want 1", n)
	}
	if got := c.take(f); got != a {
		t.Fatalf("took %v, want the first given", got)
	}
	if c.take(f) != nil {
		t.Fatal("one font served two renderings")
	}
	c.give(f, a)
	c.give(FontFile{Path: "/fonts/hei.ttc", Index: 1}, b)
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
