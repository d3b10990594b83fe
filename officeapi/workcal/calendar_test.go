package workcal_test

import (
	"encoding/json"
	"testing"
	"time"

	"zhengwu/officeapi/workcal"
	"zhengwu/shared/problem"
)

var shanghai = mustZone()

func mustZone() *time.Location {
	loc, err := time.LoadLocation(workcal.Zone)
	if err != nil {
		panic(err)
	}
	return loc
}

// at reads "2006-01-02 15:04" (or a date alone, at 10:00) in Asia/Shanghai.
func at(t *testing.T, s string) time.Time {
	t.Helper()
	if len(s) == len("2006-01-02") {
		s += " 10:00"
	}
	v, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func calendar(t testing.TB) *workcal.Calendar {
	t.Helper()
	c, err := workcal.New(workcal.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wantField asserts err is a 400 problem naming field, in both languages.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	p := problem.As(err)
	if p == nil || p.Code != problem.CodeInvalid {
		t.Fatalf("want an invalid problem naming %s, got %v", field, err)
	}
	for _, f := range p.Fields {
		if f.Field == field {
			if f.Message == "" || f.MessageEn == "" {
				t.Errorf("%s: messages %q / %q", field, f.Message, f.MessageEn)
			}
			return
		}
	}
	t.Errorf("want field %s, got %+v", field, p.Fields)
}

func TestEmbeddedYearsAreValidAndNamed(t *testing.T) {
	t.Parallel()
	years, err := workcal.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	c := calendar(t)
	if len(years) == 0 || !c.Known(2026) {
		t.Fatalf("2026 not shipped: %+v", years)
	}
	// 2027's notice was not found (see the package doc): not shipped, so
	// not known, rather than guessed.
	if c.Known(2027) || c.Known(2025) {
		t.Error("a year without a notice is known")
	}
	y, _ := c.Year(2026)
	if y.Source.DocNo != "国办发明电〔2025〕7号" || y.Source.Date != "2025-11-04" ||
		y.Source.Title != "国务院办公厅关于2026年部分节假日安排的通知" {
		t.Errorf("2026 source: %+v", y.Source)
	}
}

// The 2026 data against the notice's own words: each period's first and
// last weekday and its "共N天", each make-up day's weekday, as the notice
// prints them. A mistyped date breaks at least one of these.
func TestData2026MatchesTheNotice(t *testing.T) {
	t.Parallel()
	y, _ := calendar(t).Year(2026)
	periods := []struct {
		notice      string
		name        string
		first, last time.Weekday
		days        int
	}{
		{"一、元旦：1月1日（周四）至3日（周六）放假调休，共3天", "元旦", time.Thursday, time.Saturday, 3},
		{"二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天", "春节", time.Sunday, time.Monday, 9},
		{"三、清明节：4月4日（周六）至6日（周一）放假，共3天", "清明节", time.Saturday, time.Monday, 3},
		{"四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天", "劳动节", time.Friday, time.Tuesday, 5},
		{"五、端午节：6月19日（周五）至21日（周日）放假，共3天", "端午节", time.Friday, time.Sunday, 3},
		{"六、中秋节：9月25日（周五）至27日（周日）放假，共3天", "中秋节", time.Friday, time.Sunday, 3},
		{"七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天", "国庆节", time.Thursday, time.Wednesday, 7},
	}
	if len(y.Holidays) != len(periods) {
		t.Fatalf("%d periods, the notice has %d", len(y.Holidays), len(periods))
	}
	for i, want := range periods {
		h := y.Holidays[i]
		first, _ := time.Parse(workcal.DateLayout, h.First)
		last, _ := time.Parse(workcal.DateLayout, h.Last)
		if h.Name != want.name || first.Weekday() != want.first || last.Weekday() != want.last ||
			int(last.Sub(first).Hours()/24)+1 != want.days {
			t.Errorf("%s: data %+v", want.notice, h)
		}
	}
	workdays := []struct{ date, notice string }{
		{"2026-01-04", "1月4日（周日）上班"},
		{"2026-02-14", "2月14日（周六）上班"},
		{"2026-02-28", "2月28日（周六）上班"},
		{"2026-05-09", "5月9日（周六）上班"},
		{"2026-09-20", "9月20日（周日）上班"},
		{"2026-10-10", "10月10日（周六）上班"},
	}
	if len(y.Workdays) != len(workdays) {
		t.Fatalf("%d make-up days, the notice has %d", len(y.Workdays), len(workdays))
	}
	for i, want := range workdays {
		if y.Workdays[i].Date != want.date {
			t.Errorf("%s: data %+v", want.notice, y.Workdays[i])
		}
	}
}

func TestIsWorkday(t *testing.T) {
	t.Parallel()
	c := calendar(t)
	for _, tc := range []struct {
		date string
		want bool
		why  string
	}{
		{"2026-01-01", false, "元旦, Thursday"},
		{"2026-01-04", true, "Sunday worked for 元旦"},
		{"2026-02-13", true, "Friday before the Spring Festival"},
		{"2026-02-14", true, "Saturday worked for 春节"},
		{"2026-02-15", false, "春节 begins (Sunday)"},
		{"2026-02-23", false, "春节's last day, a Monday"},
		{"2026-02-24", true, "first working day after 春节"},
		{"2026-02-28", true, "Saturday worked for 春节"},
		{"2026-03-07", false, "an ordinary Saturday"},
		{"2026-04-06", false, "清明节, Monday"},
		{"2026-05-05", false, "劳动节, Tuesday"},
		{"2026-05-09", true, "Saturday worked for 劳动节"},
		{"2026-09-20", true, "Sunday worked for 国庆节"},
		{"2026-09-25", false, "中秋节, Friday"},
		{"2026-10-07", false, "国庆节, Wednesday"},
		{"2026-10-08", true, "Thursday after 国庆节"},
		{"2026-10-10", true, "Saturday worked for 国庆节"},
		{"2027-01-01", true, "Friday of a year without data: weekends only"},
		{"2027-01-02", false, "Saturday of a year without data"},
	} {
		if got := c.IsWorkday(at(t, tc.date)); got != tc.want {
			t.Errorf("%s (%s): %v", tc.date, tc.why, got)
		}
	}
	// The date is taken in the calendar's zone: 2026-02-14 16:30 UTC is
	// 00:30 on Sunday 15 February in Beijing (春节, off), though its UTC
	// date is the make-up Saturday (worked).
	if c.IsWorkday(time.Date(2026, 2, 14, 16, 30, 0, 0, time.UTC)) {
		t.Error("a UTC instant read by its UTC date, not Beijing's")
	}
}

func TestAddWorkdays(t *testing.T) {
	t.Parallel()
	c := calendar(t)
	for _, tc := range []struct {
		name, from string
		n          int
		want       string // close of office, 17:30, on this day
	}{
		// Thu 12 Feb; not counted. 1: Fri 13, 2: Sat 14 (调休上班),
		// 15–23 春节, 3: Tue 24.
		{"across the Spring Festival", "2026-02-12", 3, "2026-02-24"},
		// Fri 13 Feb; 1: the make-up Saturday 14.
		{"onto a make-up Saturday", "2026-02-13", 1, "2026-02-14"},
		// Sat 14 Feb, a make-up day: the start day is not counted even
		// when worked; 15–23 off; 1: Tue 24.
		{"starting on a make-up Saturday", "2026-02-14", 1, "2026-02-24"},
		// Wed 18 Feb, 春节: 1: Tue 24, 2: Wed 25, 3: Thu 26, 4: Fri 27,
		// 5: Sat 28 (调休上班).
		{"starting on a holiday", "2026-02-18", 5, "2026-02-28"},
		// Wed 4 Mar at 17:59, after closing: the day is not counted at
		// any hour. 1: Thu 5.
		{"at 17:59 on a working day", "2026-03-04 17:59", 1, "2026-03-05"},
		{"at 09:00 on the same day", "2026-03-04 09:00", 1, "2026-03-05"},
		// Fri 18 Sep: Sat 19 off; 1: Sun 20 (调休上班 for 国庆节), 2: Mon
		// 21, 3: Tue 22.
		{"onto a make-up Sunday", "2026-09-18", 3, "2026-09-22"},
		// Wed 23 Sep: 1: Thu 24; 25–27 中秋节; 2: Mon 28, 3: Tue 29,
		// 4: Wed 30; 1–7 Oct 国庆节; 5: Thu 8 Oct.
		{"across 中秋 and 国庆", "2026-09-23", 5, "2026-10-08"},
		// Thu 8 Oct: 1: Fri 9, 2: Sat 10 (调休上班).
		{"after 国庆", "2026-10-08", 2, "2026-10-10"},
		// Thu 30 Apr: 1–5 May 劳动节; 1: Wed 6, 2: Thu 7.
		{"across 劳动节", "2026-04-30", 2, "2026-05-07"},
		// Thu 31 Dec 2026: 2027 has no data, weekends only. 1: Fri 1 Jan
		// 2027 (元旦 will surely be off, but no notice says so yet: Known
		// reports it), 2: Mon 4 Jan.
		{"into a year without data", "2026-12-31", 1, "2027-01-01"},
		{"into a year without data, over a weekend", "2026-12-31", 2, "2027-01-04"},
		// Wed 31 Dec 2025 (no data: 2025 is not shipped): 1–3 Jan 2026
		// 元旦; 1: Sun 4 Jan (调休上班).
		{"from a year without data into 2026", "2025-12-31", 1, "2026-01-04"},
	} {
		got, err := c.AddWorkdays(at(t, tc.from), tc.n)
		if want := at(t, tc.want+" 17:30"); err != nil || !got.Equal(want) {
			t.Errorf("%s: %s + %d working days = %v, %v; want %v", tc.name, tc.from, tc.n, got, err, want)
		}
	}
	if c.Known(2027) {
		t.Error("2027 known")
	}
}

func TestAddWorkingHours(t *testing.T) {
	t.Parallel()
	c := calendar(t) // 08:30–12:00, 14:30–17:30: 6.5 hours a day
	for _, tc := range []struct {
		name, from string
		h          time.Duration
		want       string
	}{
		// Fri 13 Feb 16:30: 1h to 17:30, then the make-up Saturday from
		// 08:30: 1h more.
		{"onto a make-up Saturday", "2026-02-13 16:30", 2 * time.Hour, "2026-02-14 09:30"},
		// Sat 14 Feb 17:00 (make-up day): 30 min, then 15–23 off, Tue 24
		// from 08:30: 30 min more.
		{"across the Spring Festival", "2026-02-14 17:00", time.Hour, "2026-02-24 09:00"},
		// Fri 20 Feb, 春节: nothing counts until Tue 24 08:30.
		{"starting on a holiday", "2026-02-20 10:00", time.Hour, "2026-02-24 09:30"},
		// Wed 4 Mar 17:59, after closing: from Thu 5 08:30.
		{"at 17:59 on a working day", "2026-03-04 17:59", time.Hour, "2026-03-05 09:30"},
		// 11:00: 1h to noon, lunch, from 14:30: 1h more.
		{"over lunch", "2026-03-04 11:00", 2 * time.Hour, "2026-03-04 15:30"},
		{"in the lunch break", "2026-03-04 13:00", 30 * time.Minute, "2026-03-04 15:00"},
		{"before opening", "2026-03-04 07:00", 30 * time.Minute, "2026-03-04 09:00"},
		// A whole day's 6.5 hours from opening ends at closing, not at
		// the next morning's opening.
		{"exactly one day", "2026-03-04 08:30", 6*time.Hour + 30*time.Minute, "2026-03-04 17:30"},
		{"ending at noon", "2026-03-04 08:30", 3*time.Hour + 30*time.Minute, "2026-03-04 12:00"},
		// Wed 30 Sep 16:30: 1h to 17:30, 1–7 Oct off, Thu 8 from 08:30:
		// 3.5h to noon, 3h afternoon = 7.5h; 0.5h more on Fri 9: 09:00.
		{"across 国庆", "2026-09-30 16:30", 8 * time.Hour, "2026-10-09 09:00"},
		// Thu 31 Dec 2026 17:00: 30 min, then Fri 1 Jan 2027 (no data,
		// a weekday) from 08:30.
		{"into a year without data", "2026-12-31 17:00", time.Hour, "2027-01-01 09:00"},
	} {
		got, err := c.AddWorkingHours(at(t, tc.from), tc.h)
		if want := at(t, tc.want); err != nil || !got.Equal(want) {
			t.Errorf("%s: %s + %v = %v, %v; want %v", tc.name, tc.from, tc.h, got, err, want)
		}
	}
}

func TestAddCalendarDays(t *testing.T) {
	t.Parallel()
	c := calendar(t)
	for _, tc := range []struct {
		from string
		n    int
		want string // 17:30 on this day
	}{
		// Thu 12 Feb + 2 = Sat 14, a make-up day: worked, it stands.
		{"2026-02-12", 2, "2026-02-14"},
		// Thu 12 Feb + 3 = Sun 15, 春节: the limit runs to the first
		// working day after the holiday, Tue 24.
		{"2026-02-12", 3, "2026-02-24"},
		// Wed 4 Mar + 3 = Sat 7, an ordinary weekend: Mon 9.
		{"2026-03-04", 3, "2026-03-09"},
		// Wed 4 Mar + 2 = Fri 6.
		{"2026-03-04", 2, "2026-03-06"},
	} {
		got, err := c.AddCalendarDays(at(t, tc.from), tc.n)
		if want := at(t, tc.want+" 17:30"); err != nil || !got.Equal(want) {
			t.Errorf("%s + %d days = %v, %v; want %v", tc.from, tc.n, got, err, want)
		}
	}
}

func TestWorkdaysBetween(t *testing.T) {
	t.Parallel()
	c := calendar(t)
	for _, tc := range []struct {
		a, b string
		want int
	}{
		// Due Fri 13 Feb; now Tue 24: Sat 14 (调休上班) and Tue 24.
		{"2026-02-13", "2026-02-24", 2},
		// Due Wed 30 Sep; now Fri 9 Oct: Thu 8 and Fri 9.
		{"2026-09-30", "2026-10-09", 2},
		{"2026-10-09", "2026-09-30", -2},
		// Late the same day (17:45 after a 17:30 deadline): 0 days.
		{"2026-03-04 17:30", "2026-03-04 17:45", 0},
		// Thu 31 Dec 2026 to Mon 4 Jan 2027 (no data): Fri 1, Mon 4.
		{"2026-12-31", "2027-01-04", 2},
	} {
		if got := c.WorkdaysBetween(at(t, tc.a), at(t, tc.b)); got != tc.want {
			t.Errorf("%s → %s: %d working days, want %d", tc.a, tc.b, got, tc.want)
		}
	}
	// The two agree for every start day of 2026 and limits up to 30.
	for d := at(t, "2026-01-01"); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		for n := 1; n <= 30; n++ {
			due, err := c.AddWorkdays(d, n)
			if err != nil || c.WorkdaysBetween(d, due) != n || !c.IsWorkday(due) {
				t.Fatalf("%s + %d = %v: between %d, workday %v", d.Format(workcal.DateLayout), n, due, c.WorkdaysBetween(d, due), c.IsWorkday(due))
			}
		}
	}
}

func TestLimitsMustBePositive(t *testing.T) {
	t.Parallel()
	c := calendar(t)
	from := at(t, "2026-03-04")
	for _, n := range []int{0, -1, workcal.MaxWorkdays + 1} {
		_, err := c.AddWorkdays(from, n)
		wantField(t, err, "limit")
	}
	for _, n := range []int{0, -3} {
		_, err := c.AddCalendarDays(from, n)
		wantField(t, err, "limit")
	}
	for _, h := range []time.Duration{0, -time.Hour, workcal.MaxWorkingHours + time.Minute} {
		_, err := c.AddWorkingHours(from, h)
		wantField(t, err, "limit")
	}
}

// A valid edit to start from: a made-up year, far off, so that nobody
// takes it for a notice.
func edit2030() workcal.Year {
	return workcal.Year{
		Year:   2030,
		Source: workcal.Source{Title: "测试用的假想安排（不是通知）"},
		Holidays: []workcal.Holiday{
			{Name: "元旦", First: "2030-01-01", Last: "2030-01-01"},
			{Name: "国庆节、中秋节", First: "2030-10-01", Last: "2030-10-08"},
		},
		Workdays: []workcal.Workday{{Date: "2030-09-29", For: "国庆节"}}, // a Sunday
	}
}

func TestInvalidYearRefused(t *testing.T) {
	t.Parallel()
	if err := edit2030().Validate(); err != nil {
		t.Fatalf("the valid edit: %v", err)
	}
	for _, tc := range []struct {
		name   string
		change func(*workcal.Year)
		field  string
	}{
		{"no source", func(y *workcal.Year) { y.Source.Title = "" }, "source.title"},
		{"a script for a link", func(y *workcal.Year) { y.Source.URL = "javascript:alert(1)" }, "source.url"},
		{"year out of range", func(y *workcal.Year) { y.Year = 1999 }, "year"},
		{"date not a date", func(y *workcal.Year) { y.Holidays[0].First = "2030-02-30" }, "holidays[0].first"},
		{"date outside the year", func(y *workcal.Year) { y.Holidays[1].Last = "2031-01-02" }, "holidays[1].last"},
		{"last before first", func(y *workcal.Year) { y.Holidays[1].Last = "2030-09-30" }, "holidays[1].last"},
		{"too long", func(y *workcal.Year) { y.Holidays[1].Last = "2030-10-20" }, "holidays[1].last"},
		{"unknown name", func(y *workcal.Year) { y.Holidays[0].Name = "圣诞节" }, "holidays[0].name"},
		{"name twice", func(y *workcal.Year) { y.Holidays[1].Name = "国庆节、国庆节" }, "holidays[1].name"},
		{"overlapping periods", func(y *workcal.Year) {
			y.Holidays = append(y.Holidays, workcal.Holiday{Name: "中秋节", First: "2030-10-08", Last: "2030-10-09"})
		}, "holidays[2].first"},
		// Wed 2 Oct 2030 is not a weekend day.
		{"make-up day on a weekday", func(y *workcal.Year) { y.Workdays[0].Date = "2030-10-02" }, "workdays[0].date"},
		// Sat 5 Oct 2030 is inside 国庆节.
		{"make-up day inside a holiday", func(y *workcal.Year) { y.Workdays[0].Date = "2030-10-05" }, "workdays[0].date"},
		{"make-up day twice", func(y *workcal.Year) { y.Workdays = append(y.Workdays, y.Workdays[0]) }, "workdays[1].date"},
		{"make-up day in another year", func(y *workcal.Year) { y.Workdays[0].Date = "2029-12-29" }, "workdays[0].date"},
		{"make-up day for nothing", func(y *workcal.Year) { y.Workdays[0].For = "" }, "workdays[0].for"},
		{"too many periods", func(y *workcal.Year) {
			for i := 0; i < 16; i++ {
				y.Holidays = append(y.Holidays, y.Holidays[0])
			}
		}, "holidays"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			y := edit2030()
			tc.change(&y)
			wantField(t, y.Validate(), tc.field)
			_, err := calendar(t).WithYear(y)
			wantField(t, err, tc.field)
			_, err = workcal.New(workcal.Config{Edits: []workcal.Year{y}})
			wantField(t, err, tc.field)
		})
	}
}

func TestEditsReplaceAYear(t *testing.T) {
	t.Parallel()
	c := calendar(t)
	edited, err := c.WithYear(edit2030())
	if err != nil {
		t.Fatal(err)
	}
	// Tue 1 Jan 2030 off, Sun 29 Sep worked, in the edited calendar only.
	jan1, sep29 := at(t, "2030-01-01"), at(t, "2030-09-29")
	if !edited.Known(2030) || edited.IsWorkday(jan1) || !edited.IsWorkday(sep29) {
		t.Error("the edit is not applied")
	}
	if c.Known(2030) || !c.IsWorkday(jan1) || c.IsWorkday(sep29) {
		t.Error("the original calendar changed")
	}
	// 2026 is still there in the edited one, and an edit of 2026 replaces
	// the notice's data entirely: Sat 14 Feb is no longer worked.
	if !edited.IsWorkday(at(t, "2026-02-14")) {
		t.Error("2026 lost by an edit of 2030")
	}
	plain := workcal.Year{Year: 2026, Source: workcal.Source{Title: "更正"}}
	replaced, err := workcal.New(workcal.Config{Edits: []workcal.Year{plain}})
	if err != nil || replaced.IsWorkday(at(t, "2026-02-14")) || !replaced.Known(2026) {
		t.Errorf("edit of 2026: %v", err)
	}
}

func TestOfficeHours(t *testing.T) {
	t.Parallel()
	h := workcal.Hours{Morning: workcal.Span{From: workcal.At(9, 0), To: workcal.At(12, 0)},
		Afternoon: workcal.Span{From: workcal.At(13, 30), To: workcal.At(17, 0)}}
	c, err := workcal.New(workcal.Config{Hours: &h})
	if err != nil {
		t.Fatal(err)
	}
	// The deadline is the close of this office: 17:00.
	if got, _ := c.AddWorkdays(at(t, "2026-03-04"), 1); !got.Equal(at(t, "2026-03-05 17:00")) {
		t.Errorf("deadline %v", got)
	}
	if got, _ := c.AddWorkingHours(at(t, "2026-03-04 11:30"), time.Hour); !got.Equal(at(t, "2026-03-04 14:00")) {
		t.Errorf("over lunch %v", got)
	}
	for _, tc := range []struct {
		change func(*workcal.Hours)
		field  string
	}{
		{func(h *workcal.Hours) { h.Morning.To = h.Morning.From }, "hours.morning.to"},
		{func(h *workcal.Hours) { h.Afternoon.To = workcal.At(25, 0) }, "hours.afternoon.to"},
		{func(h *workcal.Hours) { h.Afternoon.From = workcal.At(11, 0) }, "hours.afternoon.from"},
		{func(h *workcal.Hours) { h.Morning.From = -1 }, "hours.morning.from"},
	} {
		bad := h
		tc.change(&bad)
		wantField(t, bad.Validate(), tc.field)
		_, err := workcal.New(workcal.Config{Hours: &bad})
		wantField(t, err, tc.field)
	}
	var read workcal.Hours
	if err := json.Unmarshal([]byte(`{"morning":{"from":"08:30","to":"12:00"},"afternoon":{"from":"14:30","to":"17:30"}}`), &read); err != nil ||
		read != workcal.DefaultHours {
		t.Errorf("hours from JSON: %+v, %v", read, err)
	}
	for _, bad := range []string{"8:30", "+8:30", "08:60", "24:01", "0830 ", "ab:cd"} {
		var c workcal.Clock
		if err := c.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("%q accepted as a time of day", bad)
		}
	}
}

// The hot methods allocate nothing: the engine calls them for every task
// on every desktop and every scheduler pass.
func TestNoAllocations(t *testing.T) { // not parallel: AllocsPerRun counts the whole process
	c := calendar(t)
	from := at(t, "2026-02-12 16:00")
	for name, f := range map[string]func(){
		"IsWorkday":       func() { c.IsWorkday(from) },
		"AddWorkdays":     func() { _, _ = c.AddWorkdays(from, 10) },
		"AddCalendarDays": func() { _, _ = c.AddCalendarDays(from, 3) },
		"AddWorkingHours": func() { _, _ = c.AddWorkingHours(from, 20*time.Hour) },
		"WorkdaysBetween": func() { c.WorkdaysBetween(from, from.AddDate(0, 1, 0)) },
	} {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s allocates %v per call", name, n)
		}
	}
}

func BenchmarkIsWorkday(b *testing.B) {
	c := calendar(b)
	from := time.Date(2026, 2, 14, 10, 0, 0, 0, shanghai)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		c.IsWorkday(from.AddDate(0, 0, i%365))
	}
}

func BenchmarkAddWorkdays(b *testing.B) {
	c := calendar(b)
	from := time.Date(2026, 2, 12, 10, 0, 0, 0, shanghai)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.AddWorkdays(from, 10); err != nil {
			b.Fatal(err)
		}
	}
}
