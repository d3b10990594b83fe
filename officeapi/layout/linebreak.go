package layout

import "strings"

// closing are the marks no line may begin with (避头): closing
// punctuation, full-width and half-width, and the marks that end a clause.
const closing = "。，、；：？！）」』》〉】〕〗”’…·．,.;:?!)]}%‰℃"

// opening are the marks no line may end with (避尾): the opening half of
// a pair belongs with what it opens.
const opening = "（「『《〈【〔〖“‘([{"

func isClosing(r rune) bool { return strings.ContainsRune(closing, r) }
func isOpening(r rune) bool { return strings.ContainsRune(opening, r) }

// halfWidth: the runes that take half a 字 on the grid (ASCII and the
// half-width forms); everything else takes a whole one.
func halfWidth(r rune) bool { return r < 0x2000 || (r >= 0xFF61 && r <= 0xFFDC) }

// cells is r's width in half-字.
func cells(r rune) int {
	if halfWidth(r) {
		return 1
	}
	return 2
}

// breakLines splits text into lines of at most width half-字 (a 3号 line:
// 56), the first line indented by indent half-字, keeping GB/T 9704's
// punctuation rule the way typesetters do by hand: when the next line
// would begin with a closing mark, the last character of this line is
// carried down with it (repeatedly, for "。”"); an opening mark at the end
// of a line goes down too. The lines, joined, are text again.
func breakLines(text []rune, width, indent int) [][]rune {
	var lines [][]rune
	start, used := 0, indent
	for i := 0; i < len(text); i++ {
		w := cells(text[i])
		if used+w <= width {
			used += w
			continue
		}
		end := i // text[start:end] fits; text[end] does not
		// Carry characters down while the next line would begin with a
		// closing mark or this one would end with an opening mark; never
		// down to an empty line, and not at all when no carrying helps (a run
		// of marks longer than a line).
		for end-1 > start && (isClosing(text[end]) || isOpening(text[end-1])) {
			end--
		}
		if end == start+1 && (isClosing(text[end]) || isOpening(text[end-1])) {
			end = i // nothing to carry that would help: a run of marks
		}
		lines = append(lines, text[start:end])
		start, used, i = end, 0, end-1
	}
	if start < len(text) || len(lines) == 0 {
		lines = append(lines, text[start:])
	}
	return lines
}
