// Package officialdoc is official documents (公文): outgoing 发文 and
// incoming 收文 with the GB/T 9704-2012 fields, run through the workflow
// engine (officeapi/workflow) on its default flows, the 发文字号 given by
// the register (officeapi/docnumber) inside the 登记编号 step. A document
// and its flow instance share an id; every step commits the instance, the
// document's new state and the audit entry in one store write. Reads by
// id answer 404 unless the reader is of the document's department, on its
// need-to-know list (知悉范围) or one of its handlers, and cleared for its
// 密级; lists come from the collection's index with the same rule.
package officialdoc

import (
	"slices"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/richtext"
)

// Collection holds one Document per id (the id of its flow instance too).
const Collection = "official_documents"

// Directions of a document.
const (
	Outgoing = "outgoing" // 发文
	Incoming = "incoming" // 收文
)

// DocTypes are the 15 types of the 2012 regulation (党政机关公文处理工作条例).
var DocTypes = []string{"决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案", "函", "纪要"}

// States of a document.
const (
	StateDraft      = "draft"      // 草稿: not yet submitted
	StateProcessing = "processing" // 办理中: its flow is running
	StateCompleted  = "completed"  // 办结
	StateTerminated = "terminated" // 终止
)

var stateNames = map[string]string{StateDraft: "草稿", StateProcessing: "办理中", StateCompleted: "办结", StateTerminated: "已终止"}

// Document is the stored document; its JSON is the API's too.
type Document struct {
	ID        string `json:"id"`
	Direction string `json:"direction"`
	DocType   string `json:"docType"` // 文种
	// 版头 (GB/T 9704-2012 7.2).
	CopyNo         string               `json:"copyNo,omitempty"` // 份号: 6 digits, for classified documents
	Classification classification.Level `json:"classification"`   // 密级
	SecrecyPeriod  string               `json:"secrecyPeriod,omitempty"`
	Urgency        string               `json:"urgency,omitempty"` // 紧急程度: 特急, 加急, "" 平件
	Issuer         string               `json:"issuer"`            // 发文机关
	IssuerCode     string               `json:"issuerCode"`        // 机关代字 of its 发文字号: 皖政办
	// JointIssuers are the other issuers of a joint document (联合行文), in
	// the order they are named after Issuer (the 主办机关, named first):
	// their marks stack under its mark, their 署名 follow its own.
	JointIssuers []string `json:"jointIssuers,omitempty"`
	DocNumber    string   `json:"docNumber,omitempty"`
	Signer       string   `json:"signer,omitempty"` // 签发人: set by the 签发 step
	// 主体 (7.3).
	Title       string   `json:"title"`
	MainTo      []string `json:"mainTo"`                // 主送机关
	Body        string   `json:"body"`                  // 正文: sanitised rich text
	Attachments []string `json:"attachments,omitempty"` // 附件: media ids
	Signature   string   `json:"signature,omitempty"`   // 署名
	WrittenOn   string   `json:"writtenOn,omitempty"`   // 成文日期, 2006-01-02
	Note        string   `json:"note,omitempty"`        // 附注
	Sealed      bool     `json:"sealed"`                // 纪要 carry no seal
	// 版记 (7.4).
	CopyTo    []string `json:"copyTo,omitempty"`    // 抄送机关
	PrintedBy string   `json:"printedBy,omitempty"` // 印发机关
	PrintedOn string   `json:"printedOn,omitempty"` // 印发日期, 2006-01-02
	// Handling.
	Department string `json:"department"` // the drafting (or handling) department
	// Unit is the organisation of the deployment the document belongs to:
	// the top-level unit of its department. The flows' assignments are
	// looked for in it (identity.HolderQuery.Unit).
	Unit        string   `json:"unit,omitempty"`
	Drafter     string   `json:"drafter"`
	DrafterName string   `json:"drafterName"`
	Knowers     []string `json:"knowers,omitempty"`   // 知悉范围: user ids who may read it
	Cosigners   []string `json:"cosigners,omitempty"` // 会签: user ids
	State       string   `json:"state"`
	// Tasks are the flow's open tasks (待办), copied from its instance by
	// each step; Holders their assignees, Handlers everyone who has held
	// one (they may read the document from then on).
	Tasks    []Task   `json:"tasks,omitempty"`
	Holders  []string `json:"holders,omitempty"`
	Handlers []string `json:"handlers,omitempty"`
	// 承办 and 传阅 of a 收文, chosen by the leader at 批办 (Handling).
	LeadDepartment    string    `json:"leadDepartment,omitempty"`    // 主办
	AssistDepartments []string  `json:"assistDepartments,omitempty"` // 协办: they may read it
	Deadline          string    `json:"deadline,omitempty"`          // 办理时限, 2006-01-02
	Circulation       []Reading `json:"circulation,omitempty"`       // 传阅: each reader, read or not
	// Exchange (公文交换): a 收文 received through the system names what it
	// came from; a 发文 lists where each of its recipients got it (核发).
	From     *Origin   `json:"from,omitempty"`
	Receipts []Receipt `json:"receipts,omitempty"`
	// Revision counts the versions of the 正文 kept (Revisions).
	Revision  int       `json:"revision"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Reading is one 传阅 reader: read when their 传阅 task was done.
type Reading struct {
	User   string    `json:"user"`
	Name   string    `json:"name"`
	ReadAt time.Time `json:"readAt,omitzero"`
}

// Origin is where an exchanged 收文 came from: the sender's document (not
// readable through this one) and unit.
type Origin struct {
	Document string `json:"document"`
	Unit     string `json:"unit"`
	UnitName string `json:"unitName"`
}

// Receipt is one recipient of a 发文 (a 主送 or 抄送 entry) and what became
// of it at 核发.
type Receipt struct {
	Name string `json:"name"` // the entry as written: 合肥市人民政府办公室
	Kind string `json:"kind"` // mainTo 主送, copyTo 抄送
	// Unit is the receiving unit when the recipient is one of this
	// deployment's ("" otherwise), Document the 收文 filed there ("" when
	// none was: a recipient outside the system, or a unit with no one to
	// sign for it; both State offline).
	Unit     string `json:"unit,omitempty"`
	Document string `json:"document,omitempty"`
	State    string `json:"state"`
	// Who signed for it (签收) and when.
	ReceivedBy     string    `json:"receivedBy,omitempty"`
	ReceivedByName string    `json:"receivedByName,omitempty"`
	ReceivedAt     time.Time `json:"receivedAt,omitzero"`
}

// States of a Receipt.
const (
	ReceiptSent     = "sent"     // 已送达: the 收文 waits for 签收 in its unit
	ReceiptReceived = "received" // 已签收
	ReceiptOffline  = "offline"  // 线下送达: not a unit of this deployment
)

// Task is an open task on a document: one person's turn at one node. Its
// id is the document's id and the instance's task id ("<doc>.t3"), so
// that an action names one task of one document.
type Task struct {
	ID         string    `json:"id"`
	DocumentID string    `json:"documentId"`
	Node       string    `json:"node"`
	NodeName   string    `json:"nodeName"`
	Assignee   string    `json:"assignee"`
	OpenedAt   time.Time `json:"openedAt"`
	Due        time.Time `json:"due,omitzero"`
	Urged      int       `json:"urged,omitempty"`
}

// Input is a new draft. Department may be left out by someone who belongs
// to one department only.
type Input struct {
	Direction      string               `json:"direction" validate:"required,oneof=outgoing incoming"`
	DocType        string               `json:"docType" validate:"required,oneof=决议 决定 命令 公报 公告 通告 意见 通知 通报 报告 请示 批复 议案 函 纪要"`
	Title          string               `json:"title" validate:"required,max=200,nocontrol"`
	Classification classification.Level `json:"classification" validate:"required,classification"`
	SecrecyPeriod  string               `json:"secrecyPeriod" validate:"max=20,nocontrol"`
	Urgency        string               `json:"urgency" validate:"omitempty,oneof=特急 加急"`
	CopyNo         string               `json:"copyNo" validate:"omitempty,numeric,len=6"`
	Issuer         string               `json:"issuer" validate:"max=100,nocontrol"`
	IssuerCode     string               `json:"issuerCode" validate:"max=20,nocontrol"`
	JointIssuers   []string             `json:"jointIssuers" validate:"max=9,dive,required,max=100,nocontrol"`
	MainTo         []string             `json:"mainTo" validate:"max=50,dive,required,max=100,nocontrol"`
	Body           string               `json:"body" validate:"max=200000"`
	Attachments    []string             `json:"attachments" validate:"max=20,dive,len=64,hexadecimal"`
	Signature      string               `json:"signature" validate:"max=100,nocontrol"`
	WrittenOn      string               `json:"writtenOn" validate:"omitempty,datetime=2006-01-02"`
	Note           string               `json:"note" validate:"max=500,nocontrol"`
	CopyTo         []string             `json:"copyTo" validate:"max=50,dive,required,max=100,nocontrol"`
	PrintedBy      string               `json:"printedBy" validate:"max=100,nocontrol"`
	Department     string               `json:"department" validate:"omitempty,orgid"`
	Knowers        []string             `json:"knowers" validate:"max=200,dive,required,max=64"`
	Cosigners      []string             `json:"cosigners" validate:"max=20,dive,required,max=64"`
}

// View is a document as the API answers it (schema OfficialdocDocumentView).
type View = records.View[Document]

// Page is one page of a list (schema OfficialdocDocumentPage).
type Page = records.Page[Document]

// files are the media the document attaches: its 附件 and the images its
// 正文 shows (richtext.MediaIDs).
func (d *Document) files() []string {
	return append(slices.Clone(d.Attachments), richtext.MediaIDs(d.Body)...)
}

// accessRevision names AccessOf's rule in the list index
// (index.Mapping.Revise): change it with the rule, so that list indexes
// built under the old one are rebuilt rather than keep stale readers.
const accessRevision = "need-to-know"

// AccessOf is who may read a document, each cleared for its 密级:
//
//   - always the drafter, its need-to-know list (知悉范围), everyone who
//     holds or has held one of its tasks (handlers, 传阅 readers among
//     them);
//   - a 非密 document also every member of its department and, for a 收文
//     being handled, of its lead (主办) and assisting (协办) departments;
//   - a classified one (秘密 and above) no department as such: need to
//     know, not membership, decides (GB/T 22239 least privilege; the
//     regulation's 知悉范围). Whoever must read it is put on the list or
//     given a task.
func AccessOf(d *Document) auth.Access {
	var readers []string
	if d.Drafter != "" { // an exchanged 收文 has none
		readers = append(readers, auth.User(d.Drafter))
	}
	if !d.Classification.Classified() {
		readers = append(readers, auth.Member(d.Department))
		for _, dept := range append([]string{d.LeadDepartment}, d.AssistDepartments...) {
			if dept != "" && dept != d.Department {
				readers = append(readers, auth.Member(dept))
			}
		}
	}
	for _, ids := range [][]string{d.Knowers, d.Handlers, d.Holders} {
		for _, id := range ids {
			readers = append(readers, auth.User(id))
		}
	}
	return auth.Access{Classification: d.Classification, Readers: readers}
}
