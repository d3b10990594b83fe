package workcal

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"zhengwu/shared/problem"
	"zhengwu/shared/validation"
)

// Names are the holidays a notice gives days off for (the festivals of
// 《全国年节及纪念日放假办法》 on which everyone has a holiday). A period
// may name two that fall together, as the notice writes them:
// "国庆节、中秋节".
var Names = []string{"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}

// The years a Year may be for, and the longest holiday period (the longest
// so far is 9 days, 2026's Spring Festival).
const (
	MinYear    = 2000
	MaxYear    = 2200
	MaxDaysOff = 15
)

// Validate checks y: its shape (dates written 2006-01-02, at most 16
// periods and 16 make-up days, a source title), then its sense: a year
// from MinYear to MaxYear, an http(s) link, every date inside the year,
// each period's first day not after its last and at most MaxDaysOff long,
// periods not overlapping, names from Names, each make-up day a Saturday
// or Sunday outside every period and listed once. The error is a
// *problem.Error naming each wrong field ("holidays[1].first").
func (y Year) Validate() error {
	if err := validation.Struct(&y); err != nil {
		return err
	}
	if y.Year < MinYear || y.Year > MaxYear {
		return problem.Invalid(problem.Field("year", fmt.Sprintf("年份必须在 %d 至 %d 之间", MinYear, MaxYear),
			fmt.Sprintf("the year must be from %d to %d", MinYear, MaxYear)))
	}
	var bad []problem.FieldError
	if u := y.Source.URL; u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		// A link the editor shows: never javascript: or data:.
		bad = append(bad, problem.Field("source.url", "链接必须以 http:// 或 https:// 开头", "the link must begin with http:// or https://"))
	}
	first, last := dayNumber(y.Year, time.January, 1), dayNumber(y.Year, time.December, 31)
	inYear := func(field, date string) (int, bool) {
		d := mustDay(date)
		if d < first || d > last {
			bad = append(bad, problem.Field(field, fmt.Sprintf("日期必须在 %d 年内", y.Year), fmt.Sprintf("the date must be in %d", y.Year)))
			return d, false
		}
		return d, true
	}
	type period struct{ i, first, last int }
	var periods []period
	for i, h := range y.Holidays {
		at := fmt.Sprintf("holidays[%d].", i)
		if !validName(h.Name) {
			bad = append(bad, nameError(at+"name"))
		}
		a, okA := inYear(at+"first", h.First)
		b, okB := inYear(at+"last", h.Last)
		switch {
		case !okA || !okB:
		case b < a:
			bad = append(bad, problem.Field(at+"last", "结束日期不能早于开始日期", "the last day must not be before the first"))
		case b-a+1 > MaxDaysOff:
			bad = append(bad, problem.Field(at+"last", fmt.Sprintf("一次放假不能超过 %d 天", MaxDaysOff),
				fmt.Sprintf("a holiday period must be at most %d days", MaxDaysOff)))
		default:
			periods = append(periods, period{i, a, b})
		}
	}
	slices.SortFunc(periods, func(p, q period) int { return p.first - q.first })
	for k := 1; k < len(periods); k++ {
		if prev, p := periods[k-1], periods[k]; p.first <= prev.last {
			at := fmt.Sprintf("holidays[%d].first", max(p.i, prev.i))
			bad = append(bad, problem.Field(at, fmt.Sprintf("与第 %d 个放假时段重叠", min(p.i, prev.i)+1),
				fmt.Sprintf("overlaps holidays[%d]", min(p.i, prev.i))))
		}
	}
	seen := map[int]bool{}
	for i, w := range y.Workdays {
		at := fmt.Sprintf("workdays[%d].", i)
		if !validName(w.For) {
			bad = append(bad, nameError(at+"for"))
		}
		d, ok := inYear(at+"date", w.Date)
		if !ok {
			continue
		}
		wd := time.Unix(int64(d)*86400, 0).UTC().Weekday()
		inside := slices.ContainsFunc(periods, func(p period) bool { return d >= p.first && d <= p.last })
		switch {
		case wd != time.Saturday && wd != time.Sunday:
			bad = append(bad, problem.Field(at+"date", "调休上班日必须是星期六或星期日", "a make-up working day must be a Saturday or Sunday"))
		case inside:
			bad = append(bad, problem.Field(at+"date", "调休上班日不能在放假时段内", "a make-up working day must not be inside a holiday period"))
		case seen[d]:
			bad = append(bad, problem.Field(at+"date", "调休上班日重复", "the make-up working day is listed twice"))
		}
		seen[d] = true
	}
	if len(bad) > 0 {
		return problem.Invalid(bad...)
	}
	return nil
}

// Validate checks office hours: each span inside the day and not empty,
// the morning ending no later than the afternoon begins. Fields are named
// under "hours" ("hours.afternoon.from").
func (h Hours) Validate() error {
	var bad []problem.FieldError
	for _, s := range []struct {
		name string
		span Span
	}{{"hours.morning", h.Morning}, {"hours.afternoon", h.Afternoon}} {
		if s.span.From < 0 || s.span.From >= At(24, 0) {
			bad = append(bad, problem.Field(s.name+".from", "时间必须在 00:00 至 24:00 之间", "the time must be from 00:00 to 24:00"))
		} else if s.span.To <= s.span.From || s.span.To > At(24, 0) {
			bad = append(bad, problem.Field(s.name+".to", "结束时间必须晚于开始时间，且不晚于 24:00", "the end must be after the start and at most 24:00"))
		}
	}
	if len(bad) == 0 && h.Afternoon.From < h.Morning.To {
		bad = append(bad, problem.Field("hours.afternoon.from", "下午上班时间不能早于上午下班时间", "the afternoon must not begin before the morning ends"))
	}
	if len(bad) > 0 {
		return problem.Invalid(bad...)
	}
	return nil
}

// validName accepts a name from Names, or several joined by "、", each once.
func validName(name string) bool {
	parts := strings.Split(name, "、")
	for i, p := range parts {
		if !slices.Contains(Names, p) || slices.Contains(parts[:i], p) {
			return false
		}
	}
	return true
}

func nameError(field string) problem.FieldError {
	list := strings.Join(Names, "、")
	return problem.Field(field, "节日名称必须是 "+list+" 之一（两节同放时以、连接）",
		"the holiday must be one of "+list+" (two that fall together joined by 、)")
}

// mustDay is the day number of a date already checked to be 2006-01-02.
func mustDay(date string) int {
	t, err := time.Parse(DateLayout, date)
	if err != nil {
		panic("workcal: unchecked date " + date)
	}
	return dayNumber(t.Date())
}
