// Package loadtest is the delivery API's load benchmark (issue 3, "Done
// when"): it fills a store with 100,000 published items, builds the index
// through the real feed consumer, serves the real delivery routes through
// the full shared middleware next to a bare Fiber handler, and drives both
// with wrk (or a Go client with keep-alive connections when wrk is
// missing). Run it with
//
//	cd cms && go test -count=1 -tags load -run TestLoad -timeout 30m -v ./delivery/loadtest/
//
// This file generates the items: realistic Chinese titles, summaries and
// ~1 KB bodies from word lists, deterministic by item number.
package loadtest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"zhengwu/cms/channel"
	"zhengwu/cms/item"
)

// FirstPublic is the number of the first public item: items below it (a
// tenth, the oldest) are internal research reports in 资料库, so that the
// newest items of every public channel are recent.
func FirstPublic(n int) int { return n / 10 }

// ID is the id of item number i.
func ID(i int) string { return fmt.Sprintf("it%06d", i) }

var (
	regions  = []string{"全省", "皖北地区", "皖南地区", "合肥都市圈", "长三角", "沿淮地区", "大别山区", "皖江城市带"}
	topics   = []string{"数字政府建设", "优化营商环境", "乡村振兴", "安全生产", "生态环境保护", "科技创新", "养老服务体系", "就业创业", "教育高质量发展", "医疗卫生服务", "防汛抗旱", "粮食安全", "新型城镇化", "政务公开", "文化旅游融合", "制造业数字化转型", "民营经济发展", "城市更新"}
	actions  = []string{"推进", "加强", "深化", "完善", "规范", "支持", "加快", "做好"}
	genres   = []string{"通知", "意见", "办法", "决定", "方案", "规定", "批复"}
	issuers  = []string{"省人民政府", "省政府办公厅", "省发展改革委", "省财政厅", "省教育厅", "省科技厅", "省人力资源社会保障厅", "省生态环境厅"}
	places   = []string{"合肥", "芜湖", "蚌埠", "安庆", "黄山", "阜阳", "宿州", "六安", "马鞍山", "滁州"}
	occasion = []string{"全省工作会议", "专题调研", "座谈会", "现场推进会", "常务会议", "视察指导"}
	phrases  = []string{
		"坚持以人民为中心的发展思想", "统筹发展和安全", "着力解决群众急难愁盼问题", "持续深化“放管服”改革",
		"健全长效工作机制", "压实各级各部门责任", "强化要素保障和政策支持", "推动各项任务落地见效",
		"加强统筹协调和督促检查", "不断提升治理体系和治理能力现代化水平", "切实增强工作的系统性、整体性、协同性",
		"各地各部门要结合实际认真贯彻执行", "确保各项政策措施落到实处", "进一步优化服务流程、压缩办理时限",
		"建立健全考核评价制度", "充分发挥市场在资源配置中的决定性作用", "更好发挥政府作用",
	}
)

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

// Base is the publication time of item 0; item i is published about i×10
// minutes later. The load test moves it so that the newest items were
// published today, as on a live portal.
var Base = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// Item generates item number i of n.
func Item(i, n int) item.Item {
	r := rand.New(rand.NewPCG(uint64(i), 0x5eed))
	published := Base.Add(time.Duration(i)*10*time.Minute + time.Duration(r.IntN(600))*time.Second)
	topic, region := pick(r, topics), pick(r, regions)
	it := item.Item{
		ID:          ID(i),
		Visibility:  channel.Public,
		Status:      item.StatusPublished,
		Edition:     1 + r.IntN(3),
		PublishedAt: published,
		UpdatedAt:   published.Add(time.Duration(r.IntN(48)) * time.Hour),
		Department:  "xinxi",
		Source:      "安徽省人民政府办公厅",
	}
	var b strings.Builder
	for b.Len() < 1000 {
		b.WriteString("<p>")
		for range 3 {
			b.WriteString(pick(r, phrases))
			b.WriteString("，")
		}
		b.WriteString(pick(r, actions) + topic + "。</p>")
	}
	it.Body = b.String()
	it.BodyText = strings.NewReplacer("<p>", "", "</p>", "\n").Replace(it.Body)
	it.Summary = region + pick(r, actions) + topic + "，" + pick(r, phrases) + "，" + pick(r, phrases) + "。"

	switch kind := i % 10; {
	case i < FirstPublic(n):
		it.Type, it.Visibility = channel.TypeReport, channel.Internal
		it.Channel = []string{"library-drc", "library-rdfy"}[i%2]
		series := map[string]string{"library-drc": "国研报告", "library-rdfy": "人大复印资料"}[it.Channel]
		it.Title = fmt.Sprintf("%s：%s%s的路径研究", series, region, topic)
		it.Report = &item.Report{Series: series, Issue: fmt.Sprintf("%d年第%d期", published.Year(), 1+r.IntN(24)), Authors: []string{"课题组"}}
	case kind < 4:
		it.Type, it.Channel = channel.TypeArticle, "news"
		it.Title = fmt.Sprintf("%s%s%s工作取得新进展", region, pick(r, actions), topic)
		it.Author = "本网记者"
	case kind < 6:
		it.Type = channel.TypePolicy
		it.Channel = []string{"files-provincial-government", "files-general-office"}[kind-4]
		genre := pick(r, genres)
		prefix := map[string]string{"files-provincial-government": "皖政", "files-general-office": "皖政办"}[it.Channel]
		it.Title = fmt.Sprintf("关于%s%s的%s", pick(r, actions), topic, genre)
		it.Department = "zonghe"
		validity := item.ValidityInForce
		if r.IntN(10) == 0 {
			validity = item.Validities[1+r.IntN(len(item.Validities)-1)]
		}
		it.Policy = &item.Policy{DocNumber: fmt.Sprintf("%s〔%d〕%d号", prefix, published.Year(), 1+i/10%300),
			Issuers: []string{pick(r, issuers)}, Genre: genre, WrittenAt: published.AddDate(0, 0, -5), Validity: validity}
		if r.IntN(3) == 0 {
			it.Policy.Issuers = append(it.Policy.Issuers, pick(r, issuers))
		}
		// Some files amend or repeal an earlier one of the same channel.
		if i >= 100 && r.IntN(5) == 0 {
			target := ID(i - 10*(1+r.IntN(9)))
			if r.IntN(2) == 0 {
				it.Links.Amends = []string{target}
			} else {
				it.Links.Repeals = []string{target}
			}
		}
		it.Path = fmt.Sprintf("%s/%s-%d-%d", it.Channel, prefix, published.Year(), i)
	case kind == 6:
		it.Type, it.Channel = channel.TypeArticle, "files-interpretation"
		it.Title = fmt.Sprintf("一图读懂《关于%s%s的意见》", pick(r, actions), topic)
		if i >= 10 {
			it.Links.Interprets = []string{ID(i - 2)} // the policy file of the same block
		}
	default:
		leader := []struct{ key, name string }{{"leader-wang", "王建国"}, {"leader-zhao", "赵秀兰"}}[r.IntN(2)]
		place := pick(r, places)
		it.Leader = &item.Leader{Name: leader.name, Occasion: pick(r, occasion), Date: published, Place: place}
		if kind == 7 {
			it.Type, it.Channel = channel.TypeSpeech, leader.key+"-speeches"
			it.Title = fmt.Sprintf("%s同志在%s上的讲话", leader.name, it.Leader.Occasion)
		} else {
			it.Type, it.Channel = channel.TypeActivity, leader.key+"-activities"
			it.Title = fmt.Sprintf("%s同志赴%s调研%s工作", leader.name, place, topic)
		}
		it.Department = "mishu1"
	}
	if it.Path == "" {
		it.Path = fmt.Sprintf("%s/%s", it.Channel, it.ID)
	}
	return it
}
