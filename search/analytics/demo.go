package analytics

import (
	"context"
	"math/rand/v2"
	"time"

	"zhengwu/search/source"
	"zhengwu/shared/store"
)

// demoQueries are what the portal's readers typically ask a provincial
// government site, with a typical number of results (0: a question the
// site has no answer to under these words: what editors act on) and how
// often a searcher opens a result (percent).
var demoQueries = []struct {
	q       string
	weight  int
	results uint64
	click   int
}{
	{"营商环境", 30, 46, 70}, {"发改委", 24, 283, 55}, {"政府工作报告", 22, 12, 85},
	{"住建厅", 18, 198, 50}, {"社保卡", 16, 9, 60}, {"公积金提取", 15, 4, 45},
	{"人才引进", 14, 21, 65}, {"十四五规划", 12, 17, 75}, {"乡村振兴", 12, 38, 60},
	{"招聘公告", 11, 26, 70}, {"数字政府", 9, 33, 55}, {"优化营商环境条例", 8, 3, 80},
	{"养老保险", 8, 14, 50}, {"皖政办", 7, 64, 60}, {"安全生产", 7, 29, 45},
	{"医保异地就医", 6, 0, 0}, {"新能源汽车补贴", 6, 0, 0}, {"公基金", 5, 0, 0},
	{"退休金计算", 4, 0, 0}, {"人设厅", 4, 0, 0}, {"居住证办理", 4, 0, 0},
	{"政务公开指南", 5, 2, 20}, {"防汛", 5, 11, 40}, {"减税降费", 5, 8, 30},
	{"信息公开年报", 4, 6, 25}, {"采购公告", 4, 15, 10},
}

// SeedDemo fills the log with the last four weeks of portal searches and
// their clicks (through Record and Click, with the times they would have
// had), unless the log holds anything already: a restart seeds nothing
// twice. It returns how many searches it logged.
func SeedDemo(ctx context.Context, s store.Store, l *Log) (int, error) {
	if docs, err := s.Scan(ctx, LogCollection, "", 1); err != nil || len(docs) > 0 {
		return 0, err
	}
	total := 0
	for _, q := range demoQueries {
		total += q.weight
	}
	rng := rand.New(rand.NewPCG(15, 4))
	now := l.now()
	from := WeekOf(now).Start().AddDate(0, 0, -21)
	n := 0
	for t := from; t.Before(now); t = t.Add(time.Duration(20+rng.IntN(60)) * time.Minute) {
		if h := t.In(source.ChinaTime).Hour(); h < 8 || h > 21 {
			continue // readers search in the day
		}
		pick := rng.IntN(total)
		for _, q := range demoQueries {
			if pick -= q.weight; pick >= 0 {
				continue
			}
			id := l.Record(Entry{Query: q.q, Scope: source.PortalName, Results: q.results, Page: 1, At: t})
			if id != "" && q.results > 0 && rng.IntN(100) < q.click {
				_ = l.Click(id, 1+rng.IntN(min(int(q.results), 5)))
			}
			n++
			break
		}
		if n%500 == 499 { // within the queue's bound
			if err := l.Flush(ctx); err != nil {
				return n, err
			}
		}
	}
	return n, l.Flush(ctx)
}
