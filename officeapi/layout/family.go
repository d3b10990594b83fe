package layout

import "github.com/tdewolff/canvas"

// Family loads f as a font family named role, for a PDF drawn outside
// this package (the leaders' schedule statistics): the same checks (it
// covers Chinese, it can be subset) and the same per-process cache of the
// file as the official documents' typefaces.
func (f FontFile) Family(role string) (*canvas.FontFamily, error) { return load(role, f) }
