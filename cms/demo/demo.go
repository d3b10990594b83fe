// Package demo makes the portal's demo content: a few hundred realistic
// items across the standard channels (news, policy files with document
// numbers, validity and typed links, leaders' speeches and activities,
// research reports). Generation is deterministic (a fixed seed), so two
// runs make the same items and seeding stays idempotent by path.
package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"zhengwu/cms/channel"
)

// Draft is one demo item before it enters the content workflow.
type Draft struct {
	Key        string // stable demo key, used to make seeding idempotent
	Type       string
	Channel    string
	Department string
	Fields     map[string]any
	// LinkKeys are typed links to other drafts by Key (amends, repeals, interprets).
	LinkKeys map[string][]string
	// Withdraw, when set, withdraws the item after publishing, with this reason.
	Withdraw string
	// At is when the item was published.
	At time.Time
}

// Drafts returns the demo items, oldest first, dated back from now.
func Drafts(now time.Time) []Draft {
	r := rand.New(rand.NewPCG(2026, 11))
	pick := func(list []string) string { return list[r.IntN(len(list))] }
	body := func(topic string, n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "<p>%s</p>", fmt.Sprintf(pick(paragraphs), topic))
		}
		return b.String()
	}
	day := func(i, total int) time.Time {
		return now.AddDate(0, 0, -(total-i)*2).Truncate(24 * time.Hour).Add(9 * time.Hour)
	}
	var out []Draft

	const nNews = 160
	for i := 0; i < nNews; i++ {
		topic := pick(topics)
		out = append(out, Draft{Key: fmt.Sprintf("news-%03d", i), Type: channel.TypeArticle, Channel: "news", Department: "xinxi",
			Fields: map[string]any{
				"title":   fmt.Sprintf(pick(newsLeads), topic),
				"summary": fmt.Sprintf("围绕%s，会议听取了有关情况汇报，研究部署了下一阶段重点工作。", topic),
				"body":    body(topic, 3+r.IntN(3)),
				"source":  "安徽省人民政府办公厅", "author": "信息处",
			}, At: day(i, nNews)})
	}

	const nPolicy = 90
	for i := 0; i < nPolicy; i++ {
		topic := pick(topics)
		genre := genres[i%len(genres)]
		ch, prefix, issuer := "files-general-office", "皖政办", "安徽省人民政府办公厅"
		if i%3 == 0 {
			ch, prefix, issuer = "files-provincial-government", "皖政", "安徽省人民政府"
		}
		year := now.Year() - i%3
		written := day(i, nPolicy).AddDate(0, 0, -3)
		fields := map[string]any{
			"title":       fmt.Sprintf("%s关于%s的%s", issuer, topic, genre),
			"summary":     fmt.Sprintf("就%s提出工作目标、主要任务和保障措施。", topic),
			"body":        body(topic, 4+r.IntN(3)),
			"docNumber":   fmt.Sprintf("%s〔%d〕%d号", prefix, year, 1+i),
			"issuers":     []string{issuer},
			"genre":       genre,
			"writtenAt":   written.Format(time.RFC3339),
			"effectiveAt": written.AddDate(0, 0, 30).Format(time.RFC3339),
			"validity":    "有效",
			"publishAt":   day(i, nPolicy).Format(time.RFC3339),
		}
		if i%10 == 4 { // joint issuance
			fields["issuers"] = []string{issuer, pick(issuers[2:])}
		}
		d := Draft{Key: fmt.Sprintf("policy-%03d", i), Type: channel.TypePolicy, Channel: ch, Department: "zonghe", Fields: fields, At: day(i, nPolicy)}
		switch {
		case i >= 10 && i%15 == 0: // repeals an older file, which becomes 已废止
			d.LinkKeys = map[string][]string{"repeals": {fmt.Sprintf("policy-%03d", i-10)}}
		case i >= 5 && i%11 == 0: // amends an older file, which becomes 已修改
			d.LinkKeys = map[string][]string{"amends": {fmt.Sprintf("policy-%03d", i-5)}}
		}
		out = append(out, d)
	}
	// Interpretations (政策解读) of some policy files.
	for i := 0; i < 25; i++ {
		target := fmt.Sprintf("policy-%03d", i*3+1)
		out = append(out, Draft{Key: fmt.Sprintf("interp-%03d", i), Type: channel.TypeArticle, Channel: "files-interpretation",
			Department: "zonghe", LinkKeys: map[string][]string{"interprets": {target}},
			Fields: map[string]any{
				"title":   fmt.Sprintf("一图读懂：%s政策解读（%d）", pick(topics), i+1),
				"summary": "围绕文件出台背景、主要内容和创新举措进行解读。",
				"body":    "<h2>一、出台背景</h2>" + body(pick(topics), 2) + "<h2>二、主要内容</h2>" + body(pick(topics), 2),
				"source":  "安徽省人民政府办公厅", "author": "综合处",
			}, At: day(i*3+2, nPolicy)})
	}
	// Leaders' speeches and activities.
	for _, leader := range []struct{ key, name string }{{"leader-wang", "王建国"}, {"leader-zhao", "赵秀兰"}} {
		for i := 0; i < 30; i++ {
			topic := pick(topics)
			typ, ch := channel.TypeSpeech, leader.key+"-speeches"
			title := fmt.Sprintf("%s在%s上的讲话", leader.name, fmt.Sprintf(pick(occasions), topic))
			if i%2 == 1 {
				typ, ch = channel.TypeActivity, leader.key+"-activities"
				title = fmt.Sprintf("%s赴%s调研%s工作", leader.name, pick(places), topic)
			}
			out = append(out, Draft{Key: fmt.Sprintf("%s-%03d", leader.key, i), Type: typ, Channel: ch, Department: "mishu1",
				Fields: map[string]any{
					"title":    title,
					"summary":  fmt.Sprintf("强调要扎实推进%s，推动各项工作落地见效。", topic),
					"body":     body(topic, 3+r.IntN(4)),
					"leader":   leader.name,
					"occasion": fmt.Sprintf(pick(occasions), topic),
					"date":     day(i, 30).Format(time.RFC3339),
					"place":    pick(places),
				}, At: day(i, 30)})
		}
	}
	// Research reports.
	for i := 0; i < 40; i++ {
		topic := pick(topics)
		series, ch := "国研报告", "library-drc"
		if i%2 == 1 {
			series, ch = "人大复印资料", "library-rdfy"
		}
		out = append(out, Draft{Key: fmt.Sprintf("report-%03d", i), Type: channel.TypeReport, Channel: ch, Department: "xinxi",
			Fields: map[string]any{
				"title":   fmt.Sprintf("关于%s的调查与思考", topic),
				"summary": fmt.Sprintf("基于多地调研，分析%s面临的形势和问题，提出对策建议。", topic),
				"body":    body(topic, 5),
				"series":  series,
				"issue":   fmt.Sprintf("%d年第%d期", now.Year(), 1+i%24),
				"authors": []string{pick(authors), pick(authors)},
			}, At: day(i, 40)})
	}
	// A few withdrawn news items show the notice.
	for i := 3; i < len(out) && i < 40; i += 17 {
		out[i].Withdraw = "该稿件内容已过时，相关工作以最新发布为准。"
	}
	return out
}
