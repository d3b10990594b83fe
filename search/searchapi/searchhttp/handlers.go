package searchhttp

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/search/searchapi"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

type handlers struct {
	svc *searchapi.Service
	log QueryLog
}

// searchQuery is the parameters of a search.
type searchQuery struct {
	Q        string `query:"q" validate:"max=200" doc:"检索词（至多 200 字；空则按日期浏览）。文号可按任意写法输入，如 皖政办[2026]12号"`
	Scope    string `query:"scope" validate:"omitempty,oneof=portal office" doc:"检索范围：portal（默认，政务信息网）或 office（办公业务系统，须登录）"`
	Channel  string `query:"channel" validate:"max=100" doc:"栏目（分面取值）"`
	Type     string `query:"type" validate:"max=100" doc:"稿件类型（分面取值）"`
	Issuer   string `query:"issuer" validate:"max=100" doc:"发文机关（分面取值）"`
	Validity string `query:"validity" validate:"max=100" doc:"效力状态（分面取值）：有效、已修改、部分失效、已废止、已失效"`
	Year     *int   `query:"year" validate:"omitempty,min=1900,max=2999" doc:"发布年份"`
	From     string `query:"from" validate:"max=40" doc:"发布日期起（含），YYYY-MM-DD（北京时间）或 RFC 3339"`
	To       string `query:"to" validate:"max=40" doc:"发布日期止（含），YYYY-MM-DD（北京时间）或 RFC 3339"`
	Sort     string `query:"sort" validate:"omitempty,oneof=relevance date" doc:"排序：relevance（默认，相关度）或 date（最新在前）"`
	Page     *int   `query:"page" validate:"omitempty,min=1,max=10000" doc:"页码（page × size ≤ 10000）"`
	Size     *int   `query:"size" validate:"omitempty,min=1,max=50" doc:"每页条数（1–50，默认 10）"`
	// ConsistentWith: a write's feed sequence, waited for.
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"写操作返回的变更序号：等待索引应用到它（至多 3 秒，否则 503）；大于存储已提交的最大序号则立即 400"`
}

// suggestQuery is the parameters of a suggestion request.
type suggestQuery struct {
	Q     string `query:"q" validate:"required,max=200" doc:"已输入的文字（1–200 字）"`
	Scope string `query:"scope" validate:"omitempty,oneof=portal office" doc:"检索范围：portal（默认）或 office（须登录）"`
}

func badParam(name, zh, en string) error {
	return problem.Invalid(problem.Field(name, zh, en))
}

func scope(v string) string {
	if v == "" {
		return source.PortalName
	}
	return v
}

func (h handlers) search(c *fiber.Ctx, q searchQuery) (searchapi.Result, error) {
	r := searchapi.Request{Q: strings.TrimSpace(q.Q), Scope: scope(q.Scope), Channel: strings.TrimSpace(q.Channel),
		Type: strings.TrimSpace(q.Type), Issuer: strings.TrimSpace(q.Issuer), Validity: strings.TrimSpace(q.Validity),
		Sort: q.Sort, ConsistentWith: q.ConsistentWith}
	if r.Sort == "" {
		r.Sort = searchapi.SortRelevance
	}
	if q.Year != nil {
		r.Year = strconv.Itoa(*q.Year)
	}
	if q.Page != nil {
		r.Page = *q.Page
	}
	if q.Size != nil {
		r.Size = *q.Size
	}
	var err error
	if r.From, err = date("from", q.From, false); err != nil {
		return searchapi.Result{}, err
	}
	if r.To, err = date("to", q.To, true); err != nil {
		return searchapi.Result{}, err
	}
	if !r.From.IsZero() && !r.To.IsZero() && !r.From.Before(r.To) {
		return searchapi.Result{}, badParam("to", "结束日期必须晚于开始日期", "to must be after from")
	}
	p := auth.Caller(c)
	res, err := h.svc.Search(c.UserContext(), p, r)
	if err == nil && h.log != nil && r.Q != "" {
		res.LogID = h.log.Record(r, res, p != nil)
	}
	return res, err
}

func (h handlers) suggest(c *fiber.Ctx, q suggestQuery) (searchapi.Suggestions, error) {
	typed := strings.TrimSpace(q.Q)
	if typed == "" {
		return searchapi.Suggestions{}, badParam("q", "请输入要补全的文字", "q is required")
	}
	sug, err := h.svc.Suggest(c.UserContext(), auth.Caller(c), scope(q.Scope), typed)
	return searchapi.Suggestions{Suggestions: sug}, err
}

// date reads a date (2006-01-02, a day in China time) or an RFC 3339
// time. A "to" day is inclusive: it becomes the start of the next day.
func date(name, v string, end bool) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, source.ChinaTime); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Time{}, badParam(name, "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD or RFC 3339")
}
