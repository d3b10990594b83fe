// Package classification is 密级: the level of secrecy an office object
// carries and, as a reader's clearance, the highest level a person may
// read.
//
// The levels are named by their pinyin on purpose. English renderings
// disagree (秘密 is "secret" in some and "confidential" in others, and
// the two words rank the other way round in other countries' schemes),
// and an earlier version of this code had 秘密 as Secret ranked below
// 机密 as Confidential — the reverse of the usual English reading. A name
// a reader cannot misread is worth the unfamiliar spelling:
//
//	Feimi 非密 < Mimi 秘密 < Jimi 机密 < Juemi 绝密
//
// A deployment holds levels up to its ceiling (DefaultCeiling 机密: most
// office networks may not hold 绝密); a level above it is refused on
// input, like an unknown one.
package classification

import "slices"

// Level is one 密级. Its value is the Chinese name, as stored, indexed and
// sent over the API.
type Level string

// The levels, lowest first.
const (
	// Feimi 非密: not classified. The portal only ever holds this level.
	Feimi Level = "非密"
	// Mimi 秘密: the lowest classified level.
	Mimi Level = "秘密"
	// Jimi 机密: above 秘密.
	Jimi Level = "机密"
	// Juemi 绝密: the highest level.
	Juemi Level = "绝密"
)

// All lists every level, lowest first.
var All = []Level{Feimi, Mimi, Jimi, Juemi}

// DefaultCeiling is the highest level a deployment holds unless its
// configuration says otherwise.
const DefaultCeiling = Jimi

// Rank orders the levels: 0 for 非密 up to 3 for 绝密, and -1 for a value
// that is no level (so that it is never readable: fail closed).
func (l Level) Rank() int { return slices.Index(All, l) }

// Valid reports whether l is one of the four levels.
func (l Level) Valid() bool { return l.Rank() >= 0 }

// Covers reports whether a clearance of l may read something at level
// other: both are valid levels and other is not above l.
func (l Level) Covers(other Level) bool {
	return l.Valid() && other.Valid() && other.Rank() <= l.Rank()
}

// Classified reports whether l is above 非密.
func (l Level) Classified() bool { return l.Rank() > 0 }

// String is the Chinese name.
func (l Level) String() string { return string(l) }

// UpTo lists the levels from 非密 up to and including ceiling (none when
// ceiling is not a level): the values a deployment with that ceiling
// accepts.
func UpTo(ceiling Level) []Level {
	if !ceiling.Valid() {
		return nil
	}
	return slices.Clone(All[:ceiling.Rank()+1])
}

// Names are the Chinese names of levels, for messages and enumerations.
func Names(levels []Level) []string {
	out := make([]string, len(levels))
	for i, l := range levels {
		out[i] = string(l)
	}
	return out
}
