// Package leave is leave requests (请假): a member of staff asks for leave
// in their department, the department's head (leave.approve there)
// approves or refuses it with a comment, and the applicant may withdraw it
// while it waits. A request is one document; each step is one
// compare-and-set committed with its audit entry. Lists come from a Bleve
// index fed from the change feed, the reader's rights in the query.
package leave

import (
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// Collection holds one Request per id.
const Collection = "leave_requests"

// States of a request.
const (
	StatePending   = "pending"
	StateApproved  = "approved"
	StateRefused   = "refused"
	StateWithdrawn = "withdrawn"
)

// stateNames are the states as the reader sees them.
var stateNames = map[string]string{StatePending: "待审批", StateApproved: "已批准", StateRefused: "未批准", StateWithdrawn: "已撤回"}

// DateLayout is how start and end dates are written (calendar days).
const DateLayout = "2006-01-02"

// MaxDays is the longest leave one request may ask for (产假 included).
const MaxDays = 180

// Request is the stored document; its JSON is the API's too.
type Request struct {
	ID            string     `json:"id"`
	Department    string     `json:"department"`
	Applicant     string     `json:"applicant"`
	ApplicantName string     `json:"applicantName"`
	Kind          string     `json:"kind"`
	Start         string     `json:"start"` // first day, DateLayout
	End           string     `json:"end"`   // last day, inclusive
	Days          int        `json:"days"`  // calendar days, start and end included
	Reason        string     `json:"reason"`
	State         string     `json:"state"`
	Approver      string     `json:"approver,omitempty"`
	ApproverName  string     `json:"approverName,omitempty"`
	Comment       string     `json:"comment,omitempty"`
	CreatedAt     time.Time  `json:"createdAt"`
	UpdatedAt     time.Time  `json:"updatedAt"`
	DecidedAt     *time.Time `json:"decidedAt,omitempty"`
}

// Input is a new request. Department may be left out by someone who
// belongs to one department only.
type Input struct {
	Department string `json:"department" validate:"omitempty,orgid"`
	Kind       string `json:"kind" validate:"required,oneof=事假 病假 年休假 婚假 产假 丧假 探亲假"`
	Start      string `json:"start" validate:"required,datetime=2006-01-02"`
	End        string `json:"end" validate:"required,datetime=2006-01-02"`
	Reason     string `json:"reason" validate:"required,max=500,nocontrol"`
}

// Decision is the head's answer: a comment, required when refusing.
type Decision struct {
	Comment string `json:"comment" validate:"max=500,nocontrol"`
}

// View is a request as the API answers it, with its store version and the
// feed sequence of the write that made it (schema LeaveRequestView).
type View = records.View[Request]

// Page is one page of a list (schema LeaveRequestPage).
type Page = records.Page[Request]

// AccessOf is who may read a request: the applicant, and whoever may
// approve leave in its department (or office-wide). Leave is unclassified,
// but a sick note is no one else's business.
func AccessOf(r *Request) auth.Access {
	return auth.Access{Classification: classification.Feimi, Readers: []string{auth.User(r.Applicant),
		auth.Holder(auth.PermLeaveApprove, r.Department), auth.Holder(auth.PermLeaveApprove, auth.OfficeWide)}}
}
