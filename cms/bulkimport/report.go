package bulkimport

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"zhengwu/cms/content"
	"zhengwu/shared/problem"
)

// Outcomes of an entry.
const (
	OutcomeImported = "imported" // a new document (published or a draft: State)
	OutcomeExisting = "existing" // imported by an earlier run: left as it is
	OutcomeRefused  = "refused"  // Reasons say why
	OutcomeValid    = "valid"    // dry run: would be imported
)

// Result is what became of one entry.
type Result struct {
	Origin  string `json:"origin"`
	Key     string `json:"key"`
	Outcome string `json:"outcome"`
	DocID   string `json:"docId,omitempty"`
	// State is the new document's: published, or draft.
	State string `json:"state,omitempty"`
	// ArchiveNo is an archive import's record's 档号.
	ArchiveNo string               `json:"archiveNo,omitempty"`
	Reasons   []problem.FieldError `json:"reasons,omitempty"`
}

// Describe is the result in Chinese, as the progress lines say it.
func (r Result) Describe() string { return r.describe() }

func (r Result) describe() string {
	switch {
	case r.ArchiveNo != "" && r.Outcome == OutcomeImported:
		return "已导入档案，档号 " + r.ArchiveNo
	case r.ArchiveNo != "" && r.Outcome == OutcomeExisting:
		return "此前已导入档案（档号 " + r.ArchiveNo + "），未改动"
	}
	switch r.Outcome {
	case OutcomeImported:
		if r.State == content.StatePublished {
			return "已导入并发布 " + r.DocID
		}
		return "已导入为草稿 " + r.DocID
	case OutcomeExisting:
		return "此前已导入（" + r.DocID + "），未改动"
	case OutcomeValid:
		return "检查通过，可以导入"
	}
	return "拒绝：" + reasonsText(r.Reasons)
}

func reasonsText(rs []problem.FieldError) string {
	var parts []string
	for _, f := range rs {
		if f.Field == "" {
			parts = append(parts, f.Message)
		} else {
			parts = append(parts, f.Field+"："+f.Message)
		}
	}
	return strings.Join(parts, "；")
}

// Report is a run's results in input order, with its counts.
type Report struct {
	DryRun bool `json:"dryRun"`
	// Into is where the items went: "" the portal, "archive" the archive.
	Into string `json:"into,omitempty"`
	// Publishes: the account's imports are published at once (else drafts).
	Publishes bool     `json:"publishes"`
	Imported  int      `json:"imported"`
	Existing  int      `json:"existing"`
	Refused   int      `json:"refused"`
	Valid     int      `json:"valid"`
	Results   []Result `json:"results"`
}

// Add counts a result in (for the imports built beside Importer).
func (r *Report) Add(res Result) { r.add(res) }

func (r *Report) add(res Result) {
	r.Results = append(r.Results, res)
	switch res.Outcome {
	case OutcomeImported:
		r.Imported++
	case OutcomeExisting:
		r.Existing++
	case OutcomeRefused:
		r.Refused++
	case OutcomeValid:
		r.Valid++
	}
}

// Summary is the run in Chinese, with every refusal on its own line.
func (r Report) Summary() string {
	var b strings.Builder
	n := len(r.Results)
	if r.DryRun {
		fmt.Fprintf(&b, "试运行（未写入任何数据）：共 %d 项，可导入 %d 项，此前已导入 %d 项，拒绝 %d 项。\n", n, r.Valid, r.Existing, r.Refused)
	} else {
		how := "草稿（待审核）"
		switch {
		case r.Into == "archive":
			how = "入档案"
		case r.Publishes:
			how = "直接发布"
		}
		fmt.Fprintf(&b, "批量导入完成：共 %d 项，新导入 %d 项（%s），此前已导入 %d 项（未改动），拒绝 %d 项。\n", n, r.Imported, how, r.Existing, r.Refused)
	}
	for _, res := range r.Results {
		if res.Outcome == OutcomeRefused {
			fmt.Fprintf(&b, "  拒绝 %s — %s\n", res.Origin, reasonsText(res.Reasons))
		}
	}
	return b.String()
}

// WriteJSON writes the report as JSON.
func (r Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// WriteCSV writes one row per result and reason (UTF-8 with a byte order
// mark, so that Excel reads the Chinese).
func (r Report) WriteCSV(w io.Writer) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"来源", "键", "结果", "文档编号", "状态", "字段", "原因", "reason", "档号"})
	for _, res := range r.Results {
		row := []string{res.Origin, res.Key, res.Outcome, res.DocID, res.State}
		if len(res.Reasons) == 0 {
			_ = cw.Write(append(row, "", "", "", res.ArchiveNo))
		}
		for _, f := range res.Reasons {
			_ = cw.Write(append(row[:5:5], f.Field, f.Message, f.MessageEn, res.ArchiveNo))
		}
	}
	cw.Flush()
	return cw.Error()
}
