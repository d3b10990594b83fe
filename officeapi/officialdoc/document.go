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
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
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
	DocNumber      string               `json:"docNumber,omitempty"`
	Signer         string               `json:"signer,omitempty"` // 签发人: set by the 签发 step
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
	Department  string   `json:"department"` // the drafting (or handling) department
	Drafter     string   `json:"drafter"`
	DrafterName string   `json:"drafterName"`
	Knowers     []string `json:"knowers,omitempty"`   // 知悉范围: user ids who may read it
	Cosigners   []string `json:"cosigners,omitempty"` // 会签: user ids
	State       string   `json:"state"`
	// Tasks are the flow's open tasks (待办), copied from its instance by
	// each step; Holders their assignees, Handlers everyone who has held
	// one (they may read the document from then on).
	Tasks     []Task    `json:"tasks,omitempty"`
	Holders   []string  `json:"holders,omitempty"`
	Handlers  []string  `json:"handlers,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

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

// AccessOf is who may read a document: its department's members, the
// drafter, its need-to-know list and everyone who has held one of its
// tasks, each cleared for its 密级.
func AccessOf(d *Document) auth.Access {
	readers := []string{auth.Member(d.Department), auth.User(d.Drafter)}
	for _, ids := range [][]string{d.Knowers, d.Handlers, d.Holders} {
		for _, id := range ids {
			readers = append(readers, auth.User(id))
		}
	}
	return auth.Access{Classification: d.Classification, Readers: readers}
}
