package identityhttp

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// auditScanLimit bounds the entries one list request reads when a filter
// skips many: the answer's next says where to go on.
const auditScanLimit = 20_000

// auditExportLimit bounds one export; a narrower filter exports the rest.
const auditExportLimit = 100_000

type auditParams struct {
	after  int64
	filter audit.Filter
}

// auditQuery parses the trail's filters: after (a sequence), actor,
// action (exact or a dotted prefix), target, outcome, from and to (RFC
// 3339 times; to is exclusive).
func auditQuery(c *fiber.Ctx) (auditParams, error) {
	var q auditParams
	var fields []problem.FieldError
	if s := c.Query("after"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			fields = append(fields, problem.Field("after", "after 必须是非负整数", "after must be a non-negative integer"))
		}
		q.after = n
	}
	text := func(name string, max int) string {
		v := strings.Clone(c.Query(name))
		if len(v) > max || strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			fields = append(fields, problem.Field(name, "参数过长或含控制字符", "too long or has control characters"))
		}
		return v
	}
	q.filter.Actor = text("actor", 64)
	q.filter.Action = text("action", 64)
	q.filter.Target = text("target", 256)
	q.filter.Outcome = text("outcome", 16)
	if o := q.filter.Outcome; o != "" && o != audit.Success && o != audit.Failure {
		fields = append(fields, problem.Field("outcome", "结果只能是 success 或 failure", "outcome must be success or failure"))
	}
	at := func(name string) time.Time {
		s := c.Query(name)
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			fields = append(fields, problem.Field(name, "时间格式应为 RFC 3339，如 2026-03-18T08:00:00+08:00",
				"want an RFC 3339 time such as 2026-03-18T08:00:00+08:00"))
		}
		return t
	}
	q.filter.From, q.filter.To = at("from"), at("to")
	if !q.filter.From.IsZero() && !q.filter.To.IsZero() && !q.filter.From.Before(q.filter.To) {
		fields = append(fields, problem.Field("to", "结束时间须晚于开始时间", "to must be after from"))
	}
	if len(fields) > 0 {
		return q, problem.Invalid(fields...)
	}
	return q, nil
}

// auditExport answers the filtered trail as CSV for Excel: UTF-8 with a
// byte-order mark (without it Excel reads Chinese as mojibake), cells that
// a spreadsheet would run as formulas defused. The export is itself an
// audited event.
func (h *Handlers) auditExport(c *fiber.Ctx) error {
	q, err := auditQuery(c)
	if err != nil {
		return err
	}
	var all []audit.Entry
	after, truncated := q.after, false
	for {
		items, next, err := h.trail.Query(c.UserContext(), after, q.filter, auditExportLimit-len(all), auditScanLimit)
		if err != nil {
			return err
		}
		all = append(all, items...)
		if next == 0 {
			break
		}
		if len(all) >= auditExportLimit {
			truncated = true
			break
		}
		after = next
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	_ = w.Write([]string{"序号", "时间", "操作人", "来源地址", "事件", "对象", "结果", "原因", "详情", "哈希"})
	for _, e := range all {
		details := ""
		if len(e.Details) > 0 {
			b, _ := json.Marshal(e.Details)
			details = string(b)
		}
		outcome := "成功"
		if e.Outcome == audit.Failure {
			outcome = "失败"
		}
		_ = w.Write([]string{strconv.FormatInt(e.Seq, 10), e.At.In(chinaTime).Format("2006-01-02 15:04:05"),
			cell(e.Actor), cell(e.ActorIP), cell(e.Action), cell(e.Target), outcome, cell(e.Reason), cell(details), e.Hash})
	}
	w.Flush()
	p := auth.Caller(c)
	if _, err := h.trail.Record(c.UserContext(), audit.Event{Actor: p.UserID, ActorIP: c.IP(), Action: "audit.export",
		Outcome: audit.Success, Details: map[string]any{"rows": len(all), "truncated": truncated, "after": q.after,
			"actor": q.filter.Actor, "action": q.filter.Action, "target": q.filter.Target, "outcome": q.filter.Outcome,
			"from": timeOrEmpty(q.filter.From), "to": timeOrEmpty(q.filter.To)}}); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="audit.csv"; filename*=UTF-8''%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97.csv`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	if truncated {
		c.Set("X-Truncated", "true")
	}
	return c.Send(buf.Bytes())
}

// chinaTime is UTC+8, the time the office reads.
var chinaTime = time.FixedZone("CST", 8*3600)

// cell defuses a value a spreadsheet would read as a formula (a failed
// login's username is whatever the caller typed).
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func timeOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
