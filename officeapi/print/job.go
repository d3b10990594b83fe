// Package print is the print room (文印室): the 印制 node of every
// outgoing 公文 and the office's ordinary print jobs.
//
// When an outgoing document reaches its flow's 印制 node (id "print",
// assigned to the print_room post), a print job exists for it — 文号,
// title, 密级, 份数 and, for a classified document, its 份号 range, the
// urgency's due time, the file to print (the document rendered, sealed
// once the seal is wired) and the target: the 文印室 or a designated print
// shop the document's 密级 allows. The print room claims it (one
// operator), proofreads it (校对: a failure sends the document back with a
// note), checks its seal (the verification report is kept) and marks it
// done, which does the document's 印制 task through officialdoc's own
// service call, so the document moves on to 核发. Done is refused without
// a passed proofread and a passed seal check.
//
// Any member of staff may also send an ordinary job (a file already
// uploaded and a count); they follow its progress (queued, claimed,
// printing, done) on their own list and desktop. Every job and every
// download of its file is in the audit trail.
package print

import (
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/officeapi/seal"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// Collection holds one Job per id; a document's job has the id
// DocumentJobID(document id).
const Collection = "print_jobs"

// Kinds of job.
const (
	KindDocument = "document" // the 印制 of an outgoing 公文
	KindOrdinary = "ordinary" // a department's own file
)

// States of a job.
const (
	StateQueued    = "queued"    // 待印制: waiting for an operator
	StateClaimed   = "claimed"   // 已领取: one operator has it (校对, 核验)
	StatePrinting  = "printing"  // 印制中
	StateDone      = "done"      // 已完成
	StateReturned  = "returned"  // 已退回: a failed proofread sent it back
	StateCancelled = "cancelled" // 已撤销: the document left 印制 another way
)

var stateNames = map[string]string{StateQueued: "待印制", StateClaimed: "已领取", StatePrinting: "印制中",
	StateDone: "已完成", StateReturned: "已退回", StateCancelled: "已撤销"}

// Urgencies of a job: a document's 紧急程度 ("" is 平件).
const (
	Teji     = "特急"
	Jiaji    = "加急"
	Pingjian = "平件"
)

// dueHours are the working hours from a job's arrival to its due time, by
// urgency: 特急 within half a working day, 加急 within one, 平件 within
// three (counted on the working calendar).
var dueHours = map[string]time.Duration{Teji: 4 * time.Hour, Jiaji: 8 * time.Hour, Pingjian: 24 * time.Hour}

// Job is the stored print job; its JSON is the API's too.
type Job struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// Document is the 公文 of a document job, with its 文号 and whether
	// it carries a seal (纪要 do not).
	Document  string `json:"document,omitempty"`
	DocNumber string `json:"docNumber,omitempty"`
	Sealed    bool   `json:"sealed"`
	Title     string `json:"title"`
	// Department is the sending (or drafting) department.
	Department     string               `json:"department"`
	Classification classification.Level `json:"classification"`
	Urgency        string               `json:"urgency"`
	Due            time.Time            `json:"due"`
	Copies         int                  `json:"copies"` // 份数
	// FirstCopy and LastCopy are the 份号 range of a classified job
	// ("000001"–"000030"); none for a 非密 one.
	FirstCopy string `json:"firstCopy,omitempty"`
	LastCopy  string `json:"lastCopy,omitempty"`
	Room      string `json:"room"` // a Room's id
	RoomName  string `json:"roomName"`
	// File is the media id of the file to print (its SHA-256), FileName
	// its name; FileError says why a document's file could not be made.
	File      string `json:"file,omitempty"`
	FileName  string `json:"fileName,omitempty"`
	FileError string `json:"fileError,omitempty"`
	Note      string `json:"note,omitempty"` // the sender's
	State     string `json:"state"`
	// Sender of an ordinary job; a document job's readers besides the
	// print room are the document's at the time the job was made.
	Sender       string     `json:"sender,omitempty"`
	SenderName   string     `json:"senderName,omitempty"`
	Readers      []string   `json:"documentReaders,omitempty"`
	Operator     string     `json:"operator,omitempty"`
	OperatorName string     `json:"operatorName,omitempty"`
	Proofread    *Proofread `json:"proofread,omitempty"`
	SealCheck    *SealCheck `json:"sealCheck,omitempty"`
	// ReturnNote says why a failed proofread sent it back; Round counts
	// the times the document came back to 印制.
	ReturnNote string     `json:"returnNote,omitempty"`
	Round      int        `json:"round"`
	CreatedAt  time.Time  `json:"createdAt"`
	UpdatedAt  time.Time  `json:"updatedAt"`
	DoneAt     *time.Time `json:"doneAt,omitempty"`
}

// Proofread is one 校对: who, when, the result.
type Proofread struct {
	By     string    `json:"by"`
	ByName string    `json:"byName"`
	At     time.Time `json:"at"`
	OK     bool      `json:"ok"`
	Note   string    `json:"note,omitempty"`
}

// SealCheck is one verification of the file's seal: who asked, when, the
// seal's report (seal.Verify's, with the print room's own finding: the
// file is not the one registered, or carries no seal) and whether it lets
// the job be done.
type SealCheck struct {
	By     string      `json:"by"`
	ByName string      `json:"byName"`
	At     time.Time   `json:"at"`
	OK     bool        `json:"ok"`
	Report seal.Report `json:"report"`
}

// SendInput is an ordinary job. Department may be left out by someone who
// belongs to one department only.
type SendInput struct {
	Department     string               `json:"department" validate:"omitempty,orgid"`
	Title          string               `json:"title" validate:"required,max=200,nocontrol"`
	File           string               `json:"file" validate:"required,len=64,hexadecimal" doc:"上传后的文件 id"`
	Copies         int                  `json:"copies" validate:"required,min=1,max=10000" doc:"份数"`
	Classification classification.Level `json:"classification" validate:"omitempty,classification" doc:"密级（默认非密）"`
	Urgency        string               `json:"urgency" validate:"omitempty,oneof=特急 加急 平件"`
	Room           string               `json:"room" validate:"omitempty,max=64,nocontrol" doc:"文印室或定点印刷厂（默认文印室）"`
	Note           string               `json:"note" validate:"max=500,nocontrol"`
}

// PlanInput sets a queued job's 份数, first 份号 and target room (the
// clerk's or the print room's choice before it is claimed).
type PlanInput struct {
	Copies    int    `json:"copies" validate:"omitempty,min=1,max=10000" doc:"份数"`
	FirstCopy int    `json:"firstCopy" validate:"omitempty,min=1,max=999999" doc:"起始份号（涉密文件）"`
	Room      string `json:"room" validate:"omitempty,max=64,nocontrol" doc:"文印室或定点印刷厂"`
}

// ProofreadInput is a 校对's result; a failure needs a note.
type ProofreadInput struct {
	OK   bool   `json:"ok"`
	Note string `json:"note" validate:"max=1000,nocontrol"`
}

// NoteInput is a step's optional note.
type NoteInput struct {
	Note string `json:"note" validate:"max=500,nocontrol"`
}

// View is a job as the API answers it (schema PrintJobView).
type View = records.View[Job]

// Page is one page of a list (schema PrintJobPage).
type Page = records.Page[Job]

// AccessOf is who may read a job: the print room (print.operate
// office-wide), the sender of an ordinary job, and the readers of a
// document job's 公文 — each cleared for its 密级.
func AccessOf(j *Job) auth.Access {
	readers := []string{auth.Holder(auth.PermPrintOperate, auth.OfficeWide)}
	if j.Sender != "" {
		readers = append(readers, auth.User(j.Sender))
	}
	readers = append(readers, j.Readers...)
	return auth.Access{Classification: j.Classification, Readers: readers}
}

// files are the media a job attaches: its file.
func (j *Job) files() []string {
	if j.File == "" {
		return nil
	}
	return []string{j.File}
}

// open reports whether the job still waits for the print room.
func (j *Job) open() bool {
	return j.State == StateQueued || j.State == StateClaimed || j.State == StatePrinting
}
