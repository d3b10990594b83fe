package layout

import (
	"sync"
	"time"

	"github.com/tdewolff/canvas"
)

// parsedFonts keeps parsed fonts between renderings. Parsing a CJK font
// is most of a short document's rendering: about 40 ms and 28 MB
// allocated for one file, and a 公文 uses three. A one-page 通知 rendered
// after two collections took 97.7 ms and allocated 99 MB when its fonts
// were parsed anew, 10.5 ms and 9.8 MB with them kept
// (BenchmarkRenderAfterGC, 6 runs each, benchstat). A parsed font is
// 19–22 MB live.
//
// A rendering takes a parsed font of each file it needs and gives it
// back when its PDF is written: one parsed font must not serve two
// renderings at once (its shaper caches as it shapes). The glyphs a PDF
// embeds are counted by its writer, not by the font, so a font serves
// the next PDF unchanged.
//
// One font per file is kept idle, for 30 s after it was last given back;
// renderings at once beyond it parse their own, which are dropped.
// A sync.Pool, which this replaces, dropped its fonts at the second
// garbage collection after their use: under the memory governor a busy
// server collects every second or two, and most renderings parsed anew.
// An office that renders now and then holds none between renderings; one
// that renders steadily holds one of each file (~60 MB for the Debian
// stand-ins). 30 s, not minutes: a demo's start renders its documents'
// PDFs, and with 2 minutes the mixed load's server held the fonts through
// its whole run (anonymous memory 129 → 236 MB) without rendering again.
var parsedFonts = fontCache{keep: 30 * time.Second}

type fontCache struct {
	keep  time.Duration
	mu    sync.Mutex
	idle  map[FontFile]idleFont
	sweep *time.Timer
}

type idleFont struct {
	fam   *canvas.FontFamily
	since time.Time
}

// take is an idle parsed font of f, or nil.
func (c *fontCache) take(f FontFile) *canvas.FontFamily {
	c.mu.Lock()
	defer c.mu.Unlock()
	it, ok := c.idle[f]
	if !ok {
		return nil
	}
	delete(c.idle, f)
	return it.fam
}

// give hands fam, a parsed font of f no rendering uses any more, back:
// kept idle unless one of f already is (then that one is kept, for keep
// from now).
func (c *fontCache) give(f FontFile, fam *canvas.FontFamily) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if it, ok := c.idle[f]; ok {
		// Another rendering's font of f is idle: this one is dropped,
		// and the kept one counts as given back now.
		c.idle[f] = idleFont{it.fam, time.Now()}
		return
	}
	if c.idle == nil {
		c.idle = map[FontFile]idleFont{}
	}
	c.idle[f] = idleFont{fam, time.Now()}
	if c.sweep == nil {
		c.sweep = time.AfterFunc(c.keep, c.expire)
	}
}

// expire drops the fonts idle for keep or longer, and comes back for the
// others when they will be.
func (c *fontCache) expire() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sweep = nil
	var next time.Duration
	for f, it := range c.idle {
		left := c.keep - time.Since(it.since)
		if left <= 0 {
			delete(c.idle, f)
		} else if next == 0 || left < next {
			next = left
		}
	}
	if next > 0 {
		c.sweep = time.AfterFunc(next, c.expire)
	}
}

// held is how many parsed fonts are idle (for tests).
func (c *fontCache) held() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.idle)
}
