package bulkimport

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"zhengwu/cms/channel"
	"zhengwu/cms/item"
)

// columns maps an export's column (or JSON field) names, Chinese or
// English, case and spaces ignored, to what they fill.
var columns = map[string][]string{
	"title":       {"标题", "题目", "title"},
	"body":        {"正文", "内容", "body", "html", "content"},
	"docNumber":   {"文号", "发文字号", "docnumber", "doc_number"},
	"date":        {"发布日期", "发布时间", "日期", "publishdate", "publish_date", "publishedat", "date"},
	"issuer":      {"发布机构", "发文机关", "来源", "issuer", "issuers", "source"},
	"channel":     {"栏目", "channel"},
	"validity":    {"有效性", "效力", "效力状态", "validity"},
	"attachments": {"附件", "attachments", "files"},
	"type":        {"类型", "内容类型", "type"},
	"genre":       {"文种", "genre"},
	"writtenAt":   {"成文日期", "writtenat", "written_at"},
	"summary":     {"摘要", "summary"},
	"department":  {"部门", "处室", "department"},
	"author":      {"作者", "author"},
}

// columnOf finds what a column name fills ("" if nothing).
func columnOf(name string) string {
	n := normalColumn(name)
	for field, names := range columns {
		if slices.Contains(names, n) {
			return field
		}
	}
	return ""
}

// typeNames are the Chinese names of the content types.
var typeNames = map[string]string{"文章": channel.TypeArticle, "新闻": channel.TypeArticle, "政策文件": channel.TypePolicy,
	"文件": channel.TypePolicy, "讲话": channel.TypeSpeech, "活动": channel.TypeActivity, "报告": channel.TypeReport}

// validityNames are what old sites call a policy file's 效力状态.
var validityNames = map[string]string{"现行有效": item.ValidityInForce, "有效": item.ValidityInForce,
	"失效": item.ValidityExpired, "废止": item.ValidityRepealed, "已修订": item.ValidityAmended, "修改": item.ValidityAmended}

// genres are the 文种 a title ends with, longest first.
var genres = []string{"实施细则", "实施意见", "实施方案", "决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报",
	"报告", "请示", "批复", "议案", "函", "纪要", "办法", "规定", "方案", "规划", "细则", "条例", "规则", "建议", "要点"}

// ReadExport reads a CSV (UTF-8 or GB18030, a header row first) or JSON
// (an array of objects, or {"items": [...]}) export of an old CMS. Each
// row is one entry; unknown columns are returned so the caller can say
// they were ignored. Attachments are paths relative to the export's
// folder, separated by ; or | in a CSV cell.
func ReadExport(path string) (entries []Entry, ignored []string, err error) {
	rows, err := ReadRows(path)
	if err != nil {
		return nil, nil, err
	}
	ignored = Unknown(rows, func(col string) bool { return columnOf(col) != "" })
	for _, row := range rows {
		entries = append(entries, rowEntry(row.Origin, row.Dir, row.Cells))
	}
	return entries, ignored, nil
}

// Row is one row of an export, for any import (the portal's, the
// archive's): where it is and its cells by column name.
type Row struct {
	Origin string // "export.csv 第 12 行", "export.json 第 3 项"
	Dir    string // the export's folder: files are relative to it
	Cells  map[string]any
}

// Cell is the row's value in the first column named one of names (Chinese
// or English, case and spaces ignored), as text (lists joined with ;).
func (r Row) Cell(names ...string) string {
	for k, v := range r.Cells {
		if slices.Contains(names, normalColumn(k)) {
			return cellText(v)
		}
	}
	return ""
}

// ReadRows reads the rows of a CSV or JSON export (see ReadExport).
func ReadRows(path string) ([]Row, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rows []map[string]any
	name := filepath.Base(path)
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		rows, err = csvRows(decodeText(data))
	case ".json":
		rows, err = jsonRows(bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF}))
	default:
		return nil, fmt.Errorf("%s: an export is a .csv or a .json file", name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	out := make([]Row, 0, len(rows))
	for i, row := range rows {
		where := fmt.Sprintf("%s 第 %d 项", name, i+1)
		if strings.EqualFold(filepath.Ext(name), ".csv") {
			where = fmt.Sprintf("%s 第 %d 行", name, i+2) // the header is line 1
		}
		out = append(out, Row{Origin: where, Dir: filepath.Dir(path), Cells: row})
	}
	return out, nil
}

// Unknown lists, sorted, the columns of rows that known does not take:
// a misnamed column is then noticed.
func Unknown(rows []Row, known func(col string) bool) []string {
	seen := map[string]bool{}
	var out []string
	for _, row := range rows {
		for k := range row.Cells {
			if !known(k) && !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}

// normalColumn is a column name as the column lists spell it.
func normalColumn(name string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(name), " ", ""))
}

func csvRows(text string) ([]map[string]any, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("no header row")
	}
	head := recs[0]
	var rows []map[string]any
	for _, rec := range recs[1:] {
		row := map[string]any{}
		blank := true
		for i, v := range rec {
			if i < len(head) {
				row[head[i]] = v
				blank = blank && strings.TrimSpace(v) == ""
			}
		}
		if !blank {
			rows = append(rows, row)
		}
	}
	return rows, nil
}

func jsonRows(data []byte) ([]map[string]any, error) {
	var rows []map[string]any
	if err := json.Unmarshal(data, &rows); err == nil {
		return rows, nil
	}
	var wrapped struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(data, &wrapped); err != nil {
		return nil, fmt.Errorf("want an array of objects or {\"items\": [...]}: %w", err)
	}
	return wrapped.Items, nil
}

// cell is a row's value for a field, as text (lists joined with ;).
func cell(row map[string]any, field string) string {
	for k, v := range row {
		if columnOf(k) == field {
			return cellText(v)
		}
	}
	return ""
}

func cellText(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case []any:
		var parts []string
		for _, p := range v {
			parts = append(parts, strings.TrimSpace(fmt.Sprint(p)))
		}
		return strings.Join(parts, ";")
	case nil:
		return ""
	default:
		return strings.TrimSpace(fmt.Sprint(v))
	}
}

var listSep = regexp.MustCompile(`[;；|\n]+`)

func list(s string, seps *regexp.Regexp) []string {
	var out []string
	for _, p := range seps.Split(s, -1) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var issuerSep = regexp.MustCompile(`[;；|、,，\n]+`)

// rowEntry maps one row: a row with a 文号 is a policy file unless its
// type says otherwise.
func rowEntry(where, base string, row map[string]any) Entry {
	title, docNumber, date := cell(row, "title"), cell(row, "docNumber"), cell(row, "date")
	body := cell(row, "body")
	e := Entry{Origin: where, Channel: cell(row, "channel"), Department: cell(row, "department"),
		Key: keyOf("row", title, docNumber, date, body)}
	f := &e.Fields
	f.Title, f.Summary = title, cell(row, "summary")
	f.Body = bodyHTML(body)
	switch t := cell(row, "type"); {
	case t == "":
		e.Type = channel.TypeArticle
		if docNumber != "" {
			e.Type = channel.TypePolicy
		}
	case typeNames[t] != "":
		e.Type = typeNames[t]
	default:
		e.Type = strings.ToLower(t) // content.CheckBulk names a wrong one
	}
	day, ok := dayOf(date)
	if !ok {
		e.refuse("fields.publishAt", "发布日期“"+date+"”不是日期，格式如 2026-01-02", "publish date "+date+" is not a date such as 2026-01-02")
	}
	if day != "" {
		t, _ := time.ParseInLocation(time.DateOnly, day, chinaTime)
		e.PublishedAt = &t
	}
	issuer := cell(row, "issuer")
	if e.Type == channel.TypePolicy {
		f.DocNumber, f.Issuers, f.PublishAt = docNumber, list(issuer, issuerSep), day
		f.Genre = cell(row, "genre")
		if f.Genre == "" {
			f.Genre = genreOf(title)
		}
		written, ok := dayOf(cell(row, "writtenAt"))
		if !ok {
			e.refuse("fields.writtenAt", "成文日期不是日期，格式如 2026-01-02", "writtenAt is not a date such as 2026-01-02")
		}
		if written == "" {
			written = day // old sites rarely keep both
		}
		f.WrittenAt = written
		f.Validity = cell(row, "validity")
		if v, ok := validityNames[f.Validity]; ok {
			f.Validity = v
		}
	} else {
		f.Source, f.Author = issuer, cell(row, "author")
		if f.Source != "" && len([]rune(f.Source)) > 100 {
			f.Source = string([]rune(f.Source)[:100])
		}
	}
	for i, a := range list(cell(row, "attachments"), listSep) {
		p, ok := within(base, a)
		field := fmt.Sprintf("fields.attachments[%d]", i)
		if !ok {
			e.refuse(field, "附件路径“"+a+"”超出导出文件所在目录", "attachment path "+a+" leaves the export's folder")
			continue
		}
		if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
			e.refuse(field, "附件文件“"+a+"”不存在", "attachment file "+a+" does not exist")
			continue
		}
		e.Files = append(e.Files, p)
	}
	return e
}

// Within resolves a file's path relative to base, refusing one that
// leaves it (an export must not read the rest of the disk).
func Within(base, rel string) (string, bool) { return within(base, rel) }

func within(base, rel string) (string, bool) {
	rel = filepath.FromSlash(strings.ReplaceAll(rel, `\`, "/"))
	if filepath.IsAbs(rel) {
		return "", false
	}
	p := filepath.Join(base, rel)
	r, err := filepath.Rel(base, p)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", false
	}
	return p, true
}

var chinaTime = time.FixedZone("CST", 8*3600)

var dayRe = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$`)

// DayOf is dayOf, for the other imports.
func DayOf(s string) (string, bool) { return dayOf(s) }

// dayOf reads the dates old sites write (2026-01-02, 2026/1/2,
// 2026.1.2, 2026年1月2日, with or without a time) as "2006-01-02"; ok is
// false for text that is not one ("" is no date, and ok).
func dayOf(s string) (string, bool) {
	if s == "" {
		return "", true
	}
	m := dayRe.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	day := fmt.Sprintf("%s-%02d-%02d", m[1], mo, d)
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return "", false
	}
	return day, true
}

// GenreOf is the 文种 a title ends with ("" if none).
func GenreOf(title string) string { return genreOf(title) }

func genreOf(title string) string {
	t := strings.TrimRight(title, "》” \t")
	for _, g := range genres {
		if strings.HasSuffix(t, g) {
			return g
		}
	}
	return ""
}

var tagRe = regexp.MustCompile(`<[a-zA-Z/!]`)

// bodyHTML keeps markup as it is (the content service sanitises it) and
// turns plain text into paragraphs.
func bodyHTML(s string) string {
	if s == "" || tagRe.MatchString(s) {
		return s
	}
	return paragraphs(s)
}

// paragraphs makes escaped <p> paragraphs of plain text, one per line.
func paragraphs(text string) string {
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			b.WriteString("<p>" + html.EscapeString(line) + "</p>")
		}
	}
	return b.String()
}
