package archive

import (
	"context"
	"strconv"
	"strings"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
)

// Fields of the list index beyond Summary's.
const (
	fText   = "text"   // 题名, 文号, 责任者, 档号: what the catalogue's text search matches
	fExpiry = "expiry" // ExpiresOn as a number (20561231), 0 for 永久
)

// Summary is one record in a list (the catalogue, the appraisal list):
// its description without the parts and events.
type Summary struct {
	ID             string               `json:"id"`
	ArchiveNo      string               `json:"archiveNo"`
	Year           int                  `json:"year"`
	Retention      string               `json:"retention"`
	ItemNo         int                  `json:"itemNo"`
	ExpiresOn      string               `json:"expiresOn,omitempty"`
	Direction      string               `json:"direction"`
	DocType        string               `json:"docType"`
	Title          string               `json:"title"`
	DocNumber      string               `json:"docNumber,omitempty"`
	Issuer         string               `json:"issuer,omitempty"`
	WrittenOn      string               `json:"writtenOn,omitempty"`
	Classification classification.Level `json:"classification"`
	Department     string               `json:"department"`
	Status         string               `json:"status"`
	Fixity         string               `json:"fixity"`
	Appraisal      string               `json:"appraisal,omitempty"`
	ArchivedAt     time.Time            `json:"archivedAt"`
	// ImportedFrom is an imported record's source ("" for a sealed one).
	ImportedFrom string `json:"importedFrom,omitempty"`
}

// Page is one page of a list (schema ArchiveSummaryPage).
type Page = records.Page[Summary]

// project is a record's document in the list index.
func project(r *Record) map[string]any {
	m := map[string]any{
		"archiveNo": r.ArchiveNo, "year": float64(r.Year), "retention": r.Retention, "itemNo": float64(r.ItemNo),
		"direction": r.Direction, "docType": r.DocType, "title": r.Title, "classification": string(r.Classification),
		"department": r.Department, "status": r.Status, "fixity": r.Fixity, "archivedAt": r.ArchivedAt,
		fText:   strings.Join([]string{r.Title, r.DocNumber, r.Issuer, r.ArchiveNo}, "\n"),
		fExpiry: float64(dateNumber(r.ExpiresOn)),
	}
	if r.ImportedFrom != nil {
		m["importedFrom"] = r.ImportedFrom.Source
	}
	for k, v := range map[string]string{"expiresOn": r.ExpiresOn, "docNumber": r.DocNumber, "issuer": r.Issuer,
		"writtenOn": r.WrittenOn, "appraisal": r.Appraisal} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}

// dateNumber is 2056-12-31 as 20561231 (0 for none).
func dateNumber(day string) int {
	n, _ := strconv.Atoi(strings.ReplaceAll(day, "-", ""))
	return n
}

// CatalogueQuery is the catalogue's filters (档案目录).
type CatalogueQuery struct {
	Year           int    `query:"year" validate:"omitempty,min=1949,max=9999" doc:"年度"`
	Retention      string `query:"retention" validate:"omitempty,oneof=永久 定期30年 定期10年" doc:"保管期限"`
	DocType        string `query:"docType" validate:"omitempty,max=10,nocontrol" doc:"文种"`
	Classification string `query:"classification" validate:"omitempty,classification" doc:"密级"`
	Status         string `query:"status" validate:"omitempty,oneof=valid revoked abolished" doc:"状态：valid 有效、revoked 已撤销、abolished 已废止"`
	Q              string `query:"q" validate:"max=100,nocontrol" doc:"题名、文号、责任者、档号中的文字"`
	Size           int    `query:"size" validate:"omitempty,min=1,max=100" doc:"每页条数（1–100，默认 20）"`
	Cursor         string `query:"cursor" validate:"max=512" doc:"游标（上一页的 next）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

// Catalogue lists the records p may read that match q, by 档号 within
// the newest archived first.
func (s *Service) Catalogue(ctx context.Context, p *auth.Principal, q CatalogueQuery) (Page, error) {
	var f []index.Filter
	if q.Year != 0 {
		f = append(f, index.Range("year", float64(q.Year), float64(q.Year+1)))
	}
	for field, v := range map[string]string{"retention": q.Retention, "docType": q.DocType, "classification": q.Classification, "status": q.Status} {
		if v != "" {
			f = append(f, index.Term(field, v))
		}
	}
	if t := strings.TrimSpace(q.Q); t != "" {
		f = append(f, index.Match(fText, t))
	}
	return records.ListAs[Summary](ctx, s.recs, p, records.Query{Sort: "-archivedAt", Size: q.Size, Cursor: q.Cursor,
		ConsistentWith: q.ConsistentWith}, f...)
}

// AppraisalQuery names the day by which retention ends.
type AppraisalQuery struct {
	Before         string `query:"before" validate:"omitempty,datetime=2006-01-02" doc:"保管期限在该日（含）之前届满（默认今天）"`
	Size           int    `query:"size" validate:"omitempty,min=1,max=100" doc:"每页条数（1–100，默认 20）"`
	Cursor         string `query:"cursor" validate:"max=512" doc:"游标（上一页的 next）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

// Expiring lists the records whose retention has ended by q.Before
// (today when empty), soonest first: the appraisal (鉴定) list. Whoever
// keeps the archive asks it (archive.manage or archive.read).
func (s *Service) Expiring(ctx context.Context, p *auth.Principal, q AppraisalQuery) (Page, error) {
	if !p.CanAnywhere(auth.PermArchiveManage) && !p.CanAnywhere(auth.PermArchiveRead) {
		return Page{}, problem.Forbidden()
	}
	day := q.Before
	if day == "" {
		day = s.today()
	}
	return records.ListAs[Summary](ctx, s.recs, p, records.Query{Sort: fExpiry, Size: q.Size, Cursor: q.Cursor,
		ConsistentWith: q.ConsistentWith}, index.Range(fExpiry, float64(1), float64(dateNumber(day)+1)))
}
