package layout

import "github.com/tdewolff/canvas"

// Family loads one of the office's font files for another printed form
// (a meeting's seat chart and name cards, officeapi/meeting), with the
// checks Render makes: the file is there, covers Chinese, and can be
// subset into a PDF. role names it in errors ("黑体").
func Family(role string, f FontFile) (*canvas.FontFamily, error) { return load(role, f) }
