// Package archive is the archive (归档): a finished 公文 — a 发文 at its
// 归档 node, a 收文 once 办结 — sealed into a record that is never changed
// again. A record carries its 档号 (全宗号-年度-保管期限代码-件号, DA/T 22
// 《归档文件整理规则》; 件号 without gaps per 年度 and retention, taken with
// store.NextNumber), its 年度, retention (保管期限: 永久 / 定期30年 /
// 定期10年), its 密级 and readers (the document's own need-to-know rule,
// officialdoc.AccessOf, frozen as it stood when archived), and its parts:
// the document's JSON, its revisions, its flow log with the opinions, the
// sealed PDF and the attachments, each kept in the media store with its
// SHA-256.
//
// Immutable: no call changes a record's content. What happens to a record
// afterwards is appended to its events — 撤销 and 废止 with who and why,
// appraisal (鉴定) decisions, fixity check results — and nothing is ever
// deleted. The content's own digest (ContentSHA256) is part of the fixity
// check, so a change made behind the API's back, to the record or to a
// part's bytes, is reported.
package archive

import (
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// Collection holds one Record per archived document (id: the document's).
const Collection = "archive_records"

// Retention periods (保管期限) and their codes in the 档号 (DA/T 22: Y, D30, D10).
const (
	Permanent = "永久"
	Term30    = "定期30年"
	Term10    = "定期10年"
)

// Retentions are the periods, longest first.
var Retentions = []string{Permanent, Term30, Term10}

var retentionCode = map[string]string{Permanent: "Y", Term30: "D30", Term10: "D10"}
var retentionYears = map[string]int{Term30: 30, Term10: 10}

// Status of a record: valid, or voided by 撤销 (from the start) or 废止
// (from that date). Voiding keeps the record.
const (
	StatusValid     = "valid"     // 有效
	StatusRevoked   = "revoked"   // 已撤销
	StatusAbolished = "abolished" // 已废止
)

// Fixity results.
const (
	FixityUnchecked = "unchecked"
	FixityIntact    = "intact" // 完好
	FixityBroken    = "broken" // 已被篡改或缺失
)

// Part kinds, in the order a record lists them.
const (
	PartDocument   = "document"   // the 公文 as JSON
	PartRevisions  = "revisions"  // every version of its 正文
	PartFlow       = "flow"       // the flow log: each node, who, when, the opinion
	PartPDF        = "pdf"        // the sealed GB/T 9704 PDF
	PartAttachment = "attachment" // a 附件, as stored
	// PartOriginal (intake.go) is an imported record's only part.
)

// Record is an archived document; its JSON is the API's too.
type Record struct {
	ID string `json:"id"`
	// ArchiveNo is the 档号: 全宗号-年度-保管期限代码-件号, e.g. Z001-2026-Y-0001.
	ArchiveNo string `json:"archiveNo"`
	Fonds     string `json:"fonds"` // 全宗号
	Year      int    `json:"year"`  // 年度
	Retention string `json:"retention"`
	ItemNo    int    `json:"itemNo"` // 件号: 1, 2, … per 年度 and retention
	// ExpiresOn is the last day of the retention (31 December of 年度 +
	// the period); "" for 永久.
	ExpiresOn string `json:"expiresOn,omitempty"`
	// The document's description (DA/T 46 的题名、文号、责任者、日期…).
	Document       string               `json:"document"` // the 公文's id
	Direction      string               `json:"direction"`
	DocType        string               `json:"docType"`
	Title          string               `json:"title"`
	DocNumber      string               `json:"docNumber,omitempty"`
	Issuer         string               `json:"issuer,omitempty"` // 责任者
	WrittenOn      string               `json:"writtenOn,omitempty"`
	Classification classification.Level `json:"classification"`
	SecrecyPeriod  string               `json:"secrecyPeriod,omitempty"`
	Department     string               `json:"department"`
	// Readers are the document's readers when archived (officialdoc.AccessOf).
	Readers []string `json:"readers"`
	Parts   []Part   `json:"parts"`
	// ImportedFrom is an imported record's source (intake.go); nil for a
	// record sealed from a 公文.
	ImportedFrom *Provenance `json:"importedFrom,omitempty"`
	// ContentSHA256 is the digest of the content above (content.go): the
	// fixity check recomputes it.
	ContentSHA256 string    `json:"contentSha256"`
	ArchivedAt    time.Time `json:"archivedAt"`
	ArchivedBy    string    `json:"archivedBy"`
	ArchivedName  string    `json:"archivedByName"`
	// What happened since, appended only; Status, Fixity and Appraisal
	// summarise the events for lists.
	Events    []Event   `json:"events"`
	Status    string    `json:"status"`
	Fixity    string    `json:"fixity"`
	FixityAt  time.Time `json:"fixityAt,omitzero"`
	Appraisal string    `json:"appraisal,omitempty"` // the last appraisal's decision
}

// Part is one stored file of a record.
type Part struct {
	Kind   string `json:"kind"`
	Name   string `json:"name"` // its file name in an export
	Media  string `json:"media"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Event kinds.
const (
	EventArchived  = "archived"  // 归档
	EventRevoked   = "revoked"   // 撤销
	EventAbolished = "abolished" // 废止
	EventAppraised = "appraised" // 鉴定
	EventFixity    = "fixity"    // 完整性检查
	EventExported  = "exported"  // 导出移交
)

// Event is one thing that happened to a record.
type Event struct {
	Kind     string    `json:"kind"`
	At       time.Time `json:"at"`
	By       string    `json:"by"` // user id, "system" for the scheduled check
	ByName   string    `json:"byName,omitempty"`
	Reason   string    `json:"reason,omitempty"`
	Decision string    `json:"decision,omitempty"` // appraisal: keep, destroy
	// Retention is the new period an appraisal that keeps a record gives it.
	Retention string `json:"retention,omitempty"`
	// Outcome of a fixity check, and the parts that failed it.
	Outcome string   `json:"outcome,omitempty"`
	Failed  []string `json:"failed,omitempty"`
}

// View is a record as the API answers it (schema ArchiveRecordView).
type View = records.View[Record]

// AccessOf is who may read a record: the document's readers as archived,
// and the archive's keepers (archive.read or archive.manage office-wide,
// archive.read in the record's department), each cleared for its 密级.
func AccessOf(r *Record) auth.Access {
	readers := append([]string{auth.Holder(auth.PermArchiveManage, auth.OfficeWide),
		auth.Holder(auth.PermArchiveRead, auth.OfficeWide), auth.Holder(auth.PermArchiveRead, r.Department)}, r.Readers...)
	return auth.Access{Classification: r.Classification, Readers: readers}
}

// files are the media a record's parts are kept in.
func (r *Record) files() []string {
	out := make([]string, 0, len(r.Parts))
	for _, p := range r.Parts {
		out = append(out, p.Media)
	}
	return out
}
