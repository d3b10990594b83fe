package layout

import (
	"runtime"
	"testing"
)

// BenchmarkRenderAfterGC: a one-page 通知 rendered with two collections
// before it, as on a busy server under the memory governor.
func BenchmarkRenderAfterGC(b *testing.B) {
	f := SystemFonts()
	d := notice()
	if _, err := Render(d, f); err != nil {
		b.Skip(err)
	}
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		runtime.GC()
		b.StartTimer()
		if _, err := Render(d, f); err != nil {
			b.Fatal(err)
		}
	}
}
