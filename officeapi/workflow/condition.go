package workflow

import (
	"slices"
	"strconv"
	"strings"

	"zhengwu/shared/classification"
)

// Holds reports whether the condition holds for the subject's fields. A
// missing field holds for != only; an ordering between values that do not
// order (a level and a number, text) does not hold.
func (c *Condition) Holds(fields map[string]string) bool {
	v, ok := fields[c.Field]
	switch c.Op {
	case "==":
		return ok && v == c.Value
	case "!=":
		return !ok || v != c.Value
	case "in":
		return ok && slices.ContainsFunc(strings.Split(c.Value, ","), func(x string) bool { return strings.TrimSpace(x) == v })
	}
	if !ok {
		return false
	}
	cmp, comparable := compare(v, c.Value)
	if !comparable {
		return false
	}
	switch c.Op {
	case ">":
		return cmp > 0
	case ">=":
		return cmp >= 0
	case "<":
		return cmp < 0
	default: // "<="
		return cmp <= 0
	}
}

// compare orders two 密级 by rank, or two numbers.
func compare(a, b string) (int, bool) {
	if ra, rb := levelRank(a), levelRank(b); ra >= 0 && rb >= 0 {
		return ra - rb, true
	}
	fa, errA := strconv.ParseFloat(a, 64)
	fb, errB := strconv.ParseFloat(b, 64)
	if errA != nil || errB != nil {
		return 0, false
	}
	switch {
	case fa < fb:
		return -1, true
	case fa > fb:
		return 1, true
	}
	return 0, true
}

func levelRank(v string) int { return classification.Level(v).Rank() }
