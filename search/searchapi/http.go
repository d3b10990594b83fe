package searchapi

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"zhengwu/search/index"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/httpx"
	"zhengwu/shared/problem"
)

// Prefix of the search API's routes.
const Prefix = "/api/search/v1"

// Limits of the parameters.
const (
	MaxQueryRunes = 200
	MaxSize       = 50
	DefaultSize   = 10
	maxValueRunes = 100
	maxWindow     = 10000 // page*size: deeper pages are refused
)

// Mount adds the routes under /api/search/v1: GET /search and GET
// /suggest, and the API's description (GET /openapi.json, /docs). A
// bearer token is optional (anonymous readers search the public portal);
// the office scope needs one.
func (s *Service) Mount(app *fiber.App) {
	r := app.Group(Prefix)
	API().Mount(r)
	if s.tokens != nil {
		r.Use(s.tokens.Optional())
	}
	r.Get("/search", s.handleSearch)
	r.Get("/suggest", s.handleSuggest)
}

func (s *Service) handleSearch(c *fiber.Ctx) error {
	req, err := parseSearch(c)
	if err != nil {
		return err
	}
	if err := s.consistentWith(c, req.Scope); err != nil {
		return err
	}
	res, err := s.Search(c.UserContext(), auth.Caller(c), req)
	if err != nil {
		return s.fail(err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(res)
}

func (s *Service) handleSuggest(c *fiber.Ctx) error {
	scope, err := parseScope(c)
	if err != nil {
		return err
	}
	q, err := parseText(c, "q", MaxQueryRunes)
	if err != nil {
		return err
	}
	if strings.TrimSpace(q) == "" {
		return badParam("q", "请输入要补全的文字", "q is required")
	}
	sug, err := s.Suggest(c.UserContext(), auth.Caller(c), scope, q)
	if err != nil {
		return s.fail(err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"suggestions": sug})
}

// consistentWithWait bounds how long ?consistentWith waits for the index.
const consistentWithWait = 3 * time.Second

// consistentWith implements ?consistentWith=<feed seq> (read your write):
// wait until the scope's index has applied it.
func (s *Service) consistentWith(c *fiber.Ctx, scope string) error {
	raw := c.Query(index.ConsistentWithParam)
	if raw == "" {
		return nil
	}
	ix := s.Index(scope)
	if ix == nil {
		return nil
	}
	s.Notify()
	err := index.ConsistentWith(c.UserContext(), ix, raw, consistentWithWait, s.store.LastSeq)
	var pe *index.ParamError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe):
		return badParam(index.ConsistentWithParam, "必须是写操作返回的序号（非负整数）", pe.Reason)
	case errors.Is(err, index.ErrWaitTimeout), errors.Is(err, index.ErrClosed):
		return problem.New(fiber.StatusServiceUnavailable, problem.CodeUnavailable,
			"搜索索引尚未更新，请稍后再试", "the search index has not caught up yet, try again")
	}
	return err
}

// fail turns index errors into problems; others pass through.
func (s *Service) fail(err error) error {
	if errors.Is(err, index.ErrClosed) {
		return problem.New(fiber.StatusServiceUnavailable, problem.CodeUnavailable,
			"搜索服务暂不可用，请稍后再试", "search is unavailable, try again")
	}
	return err
}

func parseScope(c *fiber.Ctx) (string, error) {
	switch v := c.Query("scope"); v {
	case "", source.PortalName:
		return source.PortalName, nil
	case source.OfficeName:
		return v, nil
	}
	return "", badParam("scope", "范围必须是 portal 或 office", "scope must be portal or office")
}

// parseText reads a text parameter: valid UTF-8, at most max characters.
func parseText(c *fiber.Ctx, name string, max int) (string, error) {
	v := c.Query(name)
	if !utf8.ValidString(v) {
		return "", badParam(name, "参数不是有效的 UTF-8 文本", "not valid UTF-8 text")
	}
	if utf8.RuneCountInString(v) > max {
		n := strconv.Itoa(max)
		return "", badParam(name, "不能超过 "+n+" 个字符", "at most "+n+" characters")
	}
	return strings.TrimSpace(v), nil
}

func parseSearch(c *fiber.Ctx) (Request, error) {
	var r Request
	var err error
	if r.Scope, err = parseScope(c); err != nil {
		return r, err
	}
	if r.Q, err = parseText(c, "q", MaxQueryRunes); err != nil {
		return r, err
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"channel", &r.Channel}, {"type", &r.Type}, {"issuer", &r.Issuer}, {"validity", &r.Validity}} {
		if *f.dst, err = parseText(c, f.name, maxValueRunes); err != nil {
			return r, err
		}
	}
	if y := c.Query("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || len(y) != 4 || n < 1900 || n > 2999 {
			return r, badParam("year", "年份必须是四位数字", "year must be a four-digit year")
		}
		r.Year = y
	}
	if r.From, err = parseDate(c, "from", false); err != nil {
		return r, err
	}
	if r.To, err = parseDate(c, "to", true); err != nil {
		return r, err
	}
	if !r.From.IsZero() && !r.To.IsZero() && !r.From.Before(r.To) {
		return r, badParam("to", "结束日期必须晚于开始日期", "to must be after from")
	}
	switch r.Sort = c.Query("sort"); r.Sort {
	case "":
		r.Sort = SortRelevance
	case SortRelevance, SortDate:
	default:
		return r, badParam("sort", "排序必须是 relevance 或 date", "sort must be relevance or date")
	}
	pg, err := httpx.ParsePage(c, DefaultSize, MaxSize)
	if err != nil {
		return r, err
	}
	if pg.Page*pg.Size > maxWindow {
		return r, badParam("page", "页码过大，请缩小搜索范围", "page too deep: narrow the search")
	}
	r.Page, r.Size = pg.Page, pg.Size
	return r, nil
}

// parseDate reads a date (2006-01-02, a day in China time) or an RFC 3339
// time. A "to" day is inclusive: it becomes the start of the next day.
func parseDate(c *fiber.Ctx, name string, end bool) (time.Time, error) {
	v := c.Query(name)
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
