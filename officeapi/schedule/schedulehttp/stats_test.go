package schedulehttp_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zhengwu/officeapi"
	"zhengwu/officeapi/officetest"
	"zhengwu/officeapi/schedule"
	"zhengwu/search/source"
	"zhengwu/shared/openapi/openapitest"
)

// A known week: the 省长 (l1) has a meeting and a banquet on Monday in
// 合肥 and a two-day 调研 in 芜湖 from Tuesday; the 常务副省长 (l2) is in
// 北京 Monday to Thursday, and a Friday meeting of theirs is cancelled;
// the 秘书长 (l9) has a meeting on Tuesday at a place with no city. Next
// week's submission is not published, so not counted.
func knownWeek(t *testing.T) (*officetest.Env, *schedule.Service) {
	e, svc := newEnv(t)
	submit(t, e, "chuzhang", entry())
	submit(t, e, "chuzhang", entry("period", "晚上", "start", "19:30", "end", "21:00", "type", "外事", "content", "宴请外宾"))
	submit(t, e, "chuzhang", entry("date", tuesday, "endDate", "2026-03-11", "start", "08:00", "end", "18:00", "type", "调研",
		"content", "赴芜湖调研", "place", "芜湖市", "city", "芜湖"))
	submit(t, e, "fgwhead", entry("leaderId", "l2", "endDate", "2026-03-12", "start", "08:00", "end", "18:00", "type", "出差",
		"content", "赴京汇报", "place", "北京市", "city", "北京"))
	cancelled := submit(t, e, "fgwhead", entry("leaderId", "l2", "date", "2026-03-13", "type", "会见"))
	submit(t, e, "chuzhang", entry("leaderId", "l9", "date", tuesday, "place", "省政府第五会议室", "city", ""))
	submit(t, e, "chuzhang", entry("date", "2026-03-16")) // 2026-W12
	publish(t, e, week)
	if r := e.Do("POST", base+"/entries/"+cancelled+"/cancel", e.TokenOf("clerk"), map[string]any{"comment": "另有安排"}); r.Status != 200 {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	return e, svc
}

func TestStatisticsOfAKnownWeek(t *testing.T) {
	e, _ := knownWeek(t)
	r := e.Do("GET", base+"/stats?from=2026-03-09&to=2026-03-22", e.TokenOf("chuzhang"), nil)
	openapitest.Response(t, officeapi.API(e.Routes), "GET", "/schedule/stats", r.Status, r.Body)
	var st schedule.Stats
	r.Decode(t, &st)
	if st.Total != 5 || st.Days != 8 || len(st.Entries) != 5 {
		t.Fatalf("total %d, leader-days %d, want 5 and 8: %s", st.Total, st.Days, r.Body)
	}
	type row struct {
		id                string
		count, days, away int
		types             map[string]int
	}
	want := []row{{"l1", 3, 3, 2, map[string]int{"会议": 1, "外事": 1, "调研": 1}}, {"l2", 1, 4, 4, map[string]int{"出差": 1}}, {"l9", 1, 1, 0, map[string]int{"会议": 1}}}
	if len(st.ByLeader) != len(want) {
		t.Fatalf("by leader: %+v", st.ByLeader)
	}
	for i, w := range want {
		g := st.ByLeader[i]
		if g.LeaderID != w.id || g.Count != w.count || g.Days != w.days || g.DaysAway != w.away || len(g.ByType) != len(w.types) {
			t.Errorf("leader %d: %+v, want %+v", i, g, w)
		}
		for k, n := range w.types {
			if g.ByType[k] != n {
				t.Errorf("leader %s type %s: %d, want %d", w.id, k, g.ByType[k], n)
			}
		}
	}
	wantTypes := []schedule.Count{{Key: "会议", Count: 2, Days: 2}, {Key: "调研", Count: 1, Days: 2}, {Key: "外事", Count: 1, Days: 1}, {Key: "出差", Count: 1, Days: 4}}
	if !slices.Equal(st.ByType, wantTypes) {
		t.Errorf("by type: %+v, want %+v", st.ByType, wantTypes)
	}
	wantPlaces := []schedule.Count{{Key: "合肥", Count: 2, Days: 1}, {Key: "北京", Count: 1, Days: 4}, {Key: "省政府第五会议室", Count: 1, Days: 1}, {Key: "芜湖", Count: 1, Days: 2}}
	if !slices.Equal(st.ByPlace, wantPlaces) {
		t.Errorf("by place: %+v, want %+v", st.ByPlace, wantPlaces)
	}
	// One day: what starts on it, its days cut to the period.
	e.Do("GET", base+"/stats?from=2026-03-10&to=2026-03-10", e.TokenOf("chuzhang"), nil).Decode(t, &st)
	if st.Total != 2 || st.Days != 2 || st.ByLeader[0].Days != 1 || st.ByLeader[0].DaysAway != 1 {
		t.Errorf("Tuesday alone: %+v", st)
	}
	// One leader.
	e.Do("GET", base+"/stats?from=2026-03-09&to=2026-03-15&leader=l2", e.TokenOf("chuzhang"), nil).Decode(t, &st)
	if st.Total != 1 || len(st.ByLeader) != 1 || st.ByLeader[0].Days != 4 {
		t.Errorf("the 常务副省长 alone: %+v", st)
	}
}

func TestExportsReadBack(t *testing.T) {
	e, _ := knownWeek(t)
	q := "?from=2026-03-09&to=2026-03-15"
	r := e.Do("GET", base+"/stats.xlsx"+q, e.TokenOf("chuzhang"), nil)
	if r.Status != 200 || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("xlsx: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"按领导统计", "按类型统计", "按地点统计", "活动明细"}) {
		t.Fatalf("sheets: %v", got)
	}
	rows, err := f.GetRows("按领导统计")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[0][0] != "领导活动统计（2026-03-09 至 2026-03-15）" ||
		!slices.Equal(rows[2][:6], []string{"1", "王振华", "省长", "3", "3", "2"}) || !slices.Equal(rows[3][:6], []string{"2", "刘建明", "常务副省长", "1", "4", "4"}) {
		t.Fatalf("按领导统计: %q", rows)
	}
	if typ, _ := f.GetCellType("按领导统计", "D3"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("counts are not numbers: %v", typ)
	}
	detail, _ := f.GetRows("活动明细")
	if len(detail) != 7 || detail[2][3] != "刘建明" || detail[2][0] != "2026-03-09至2026-03-12" || !strings.Contains(flat(detail), "赴芜湖调研") {
		t.Fatalf("活动明细: %q", detail)
	}

	r = e.Do("GET", base+"/stats.pdf"+q, e.TokenOf("chuzhang"), nil)
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(r.Body, []byte("%PDF")) {
		t.Fatalf("pdf: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	if en := e.Audited("schedule.stats.export", schedule.Collection); len(en) != 2 || en[0].Details["format"] != "xlsx" || en[1].Details["entries"] != 5.0 {
		t.Errorf("the exports' audit: %+v", en)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	text, err := source.Extract(ctx, source.KindPDF, bytes.NewReader(r.Body), source.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	text = strings.Join(strings.Fields(text), "")
	for _, want := range []string{"领导活动统计（2026-03-09至2026-03-15）", "按领导统计", "王振华", "刘建明", "常务副省长", "按地点统计", "芜湖", "赴京汇报", "活动共5项"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q: %s", want, text)
		}
	}
}

func flat(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "|") + "\n")
	}
	return b.String()
}

// Busy is what a meeting's conflict check asks: the activities of the
// leaders linked to the given accounts that overlap the time.
func TestBusy(t *testing.T) {
	e, svc := newEnv(t)
	ctx := context.Background()
	submit(t, e, "chuzhang", entry("leaderId", "l9", "date", tuesday)) // 09:00–11:30
	gone := submit(t, e, "chuzhang", entry("leaderId", "l9", "date", tuesday, "period", "下午", "start", "14:00", "end", "15:00"))
	submit(t, e, "chuzhang", entry("leaderId", "l1", "date", tuesday)) // a leader with no account
	e.Do("POST", base+"/entries/"+gone+"/withdraw", e.TokenOf("chuzhang"), nil)
	director := e.UserID("director")
	tue := func(h, m int) time.Time { return time.Date(2026, 3, 10, h, m, 0, 0, schedule.China) }
	for _, c := range []struct {
		name     string
		users    []string
		from, to time.Time
		want     int
	}{
		{"overlapping", []string{director}, tue(10, 0), tue(12, 0), 1},
		{"ending as it starts", []string{director}, tue(8, 0), tue(9, 0), 0},
		{"the withdrawn afternoon", []string{director}, tue(13, 0), tue(16, 0), 0},
		{"someone who is no leader", []string{e.UserID("staff")}, tue(8, 0), tue(18, 0), 0},
		{"the whole week", []string{director, e.UserID("staff")}, tue(0, 0).AddDate(0, 0, -1), tue(0, 0).AddDate(0, 0, 6), 1},
	} {
		got, err := svc.Busy(ctx, c.users, c.from, c.to)
		if err != nil || len(got) != c.want {
			t.Errorf("%s: %+v %v, want %d", c.name, got, err, c.want)
		}
		if len(got) > 0 && (got[0].UserID != director || got[0].LeaderName != "王建国" || !got[0].Start.Equal(tue(9, 0)) || got[0].Published) {
			t.Errorf("%s: %+v", c.name, got[0])
		}
	}
}

func TestDemoData(t *testing.T) {
	e, svc := newEnv(t)
	ctx := context.Background()
	// newEnv listed leaders: the demo seeds only a schedule with none.
	if n, err := svc.SeedDemo(ctx, e.Identity.PrincipalByUsername); err != nil || n != 0 {
		t.Fatalf("seed over a listed schedule: %d %v", n, err)
	}
	e2 := officetest.New(t)
	svc2, err := schedule.New(e2.Deps("schedule"))
	if err != nil {
		t.Fatal(err)
	}
	e2.Mount(svc2, nil)
	n, err := svc2.SeedDemo(ctx, e2.Identity.PrincipalByUsername)
	if err != nil || n != 13 {
		t.Fatalf("seed: %d %v", n, err)
	}
	if n, err := svc2.SeedDemo(ctx, e2.Identity.PrincipalByUsername); err != nil || n != 0 {
		t.Fatalf("second seed: %d %v", n, err)
	}
	director, _ := e2.Identity.PrincipalByUsername(ctx, "director")
	this := schedule.WeekOf(e2.Clock.Now())
	g, err := svc2.Grid(ctx, director, this)
	if err != nil || g.State != schedule.WeekPublished || len(g.Rows) != 9 || len(g.Changes) != 1 || g.Changes[0].Before.Start != "15:00" {
		t.Fatalf("this week: %v %+v", err, g)
	}
	next, err := svc2.Grid(ctx, director, g.Next)
	if err != nil || next.State != schedule.WeekOpen || len(next.Pending) != 4 {
		t.Fatalf("next week: %v %+v", err, next)
	}
}
