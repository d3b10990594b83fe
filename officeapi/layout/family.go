package layout

import "github.com/tdewolff/canvas"

// Family loads f as a font family named role, for a PDF drawn outside this
// package (a meeting's seat chart and name cards, the leaders' schedule
// statistics): the same checks Render makes (the file is there, covers
// Chinese, can be subset) and the same per-process cache of the file.
func (f FontFile) Family(role string) (*canvas.FontFamily, error) { return load(role, f) }
