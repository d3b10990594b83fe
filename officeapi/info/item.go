// Package info is the department information platforms (部门信息平台): each
// department's information space of notices, briefings (简报), work updates
// (工作动态) and internal documents; the office information section's review
// that publishes them to the department or the whole office; and the
// designation and approval that let the gateway carry an item to the portal.
//
// An item is one document in the office store (collection info_items, the
// shape in docs/info-gateway.md); its workflow state lives in that document,
// so every step is one compare-and-set. Lists are answered by a Bleve index
// fed from the change feed, with the reader's rights inside the query.
package info

import (
	"time"

	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// Collections of the store this package owns.
const (
	Collection      = "info_items"
	RulesCollection = "info_rules"
)

// Permissions this package checks.
var (
	PermEdit    = auth.PermInfoEdit      // write and submit in a department
	PermReview  = auth.PermInfoReview    // publish: scoped for department items, office-wide for office items
	PermPublish = auth.PermPortalPublish // office-wide: approve portal crossing
	PermPolicy  = auth.PermPolicyManage  // security administrator: auto-publish rules
)

// Kinds of items.
const (
	KindNotice   = "notice"
	KindBriefing = "briefing"
	KindUpdate   = "update"
	KindInternal = "internal"
)

// Audiences.
const (
	AudienceDepartment = "department"
	AudienceOffice     = "office"
	AudiencePortal     = "portal"
)

// States of the workflow.
const (
	StateDraft     = "draft"
	StateSubmitted = "submitted"
	StatePublished = "published"
	StateRejected  = "rejected"
	StateWithdrawn = "withdrawn"
)

// Item is the stored document; its JSON is the contract the gateway reads.
type Item struct {
	ID              string               `json:"id"`
	Department      string               `json:"department"`
	Kind            string               `json:"kind"`
	Title           string               `json:"title"`
	Summary         string               `json:"summary"`
	Body            string               `json:"body"`
	Classification  classification.Level `json:"classification"`
	Principals      []string             `json:"principals"`
	Audience        string               `json:"audience"`
	State           string               `json:"state"`
	Revision        int                  `json:"revision"`
	Portal          Portal               `json:"portal"`
	Attachments     []Attachment         `json:"attachments"`
	Author          string               `json:"author"`
	CreatedAt       time.Time            `json:"createdAt"`
	UpdatedAt       time.Time            `json:"updatedAt"`
	PublishedAt     *time.Time           `json:"publishedAt,omitempty"`
	WithdrawnReason string               `json:"withdrawnReason,omitempty"`
	RejectedReason  string               `json:"rejectedReason,omitempty"`
}

// Portal is the item's way to the portal.
type Portal struct {
	Designated       bool       `json:"designated"`
	Channel          string     `json:"channel,omitempty"`
	Approved         bool       `json:"approved"`
	ApprovedBy       string     `json:"approvedBy,omitempty"`
	ApprovedAt       *time.Time `json:"approvedAt,omitempty"`
	ApprovedRevision int        `json:"approvedRevision"`
	EmbargoUntil     *time.Time `json:"embargoUntil,omitempty"`
}

// Attachment is a stored media object attached to an item.
type Attachment struct {
	MediaID string `json:"mediaId" validate:"required,len=64,hexadecimal"`
	Name    string `json:"name" validate:"required,max=255"`
	Size    int64  `json:"size" validate:"gte=0"`
	Type    string `json:"type" validate:"required,max=127"`
}

// View is an item as the API returns it: the document, its store version
// (send it back with PUT) and the feed sequence of the write that made it
// (pass it to a list as ?consistentWith= to read your own write).
type View struct {
	Item
	Version int64 `json:"version"`
	Seq     int64 `json:"seq"`
}

// Rule is an auto-publish rule: an item of the department and kind that
// the office approves is designated for the channel and portal-approved.
type Rule struct {
	ID         string    `json:"id"`
	Department string    `json:"department"`
	Kind       string    `json:"kind"`
	Channel    string    `json:"channel"`
	CreatedBy  string    `json:"createdBy"`
	CreatedAt  time.Time `json:"createdAt"`
}

// Reader tokens: an item lists who may read it as tokens, a principal
// holds tokens, and a reader sees an item when the two share one and the
// classification is within the reader's clearance. The same tokens are
// indexed, so detail and lists decide alike.
func readers(it *Item) []string {
	d := it.Department
	r := []string{"user:" + it.Author}
	switch it.State {
	case StateDraft:
		r = append(r, "edit:"+d, "edit:"+auth.OfficeWide)
	case StatePublished:
		if len(it.Principals) > 0 {
			for _, u := range it.Principals {
				r = append(r, "user:"+u)
			}
		} else if it.Audience == AudienceDepartment {
			r = append(r, "dept:"+d)
		} else {
			r = append(r, "office")
		}
		r = append(r, "edit:"+d, "edit:"+auth.OfficeWide, "review:"+d, "review:"+auth.OfficeWide)
	default: // submitted, rejected, withdrawn: the department and the reviewers
		r = append(r, "edit:"+d, "edit:"+auth.OfficeWide, "review:"+d, "review:"+auth.OfficeWide)
	}
	return r
}

// readerTokens are the tokens p holds.
func readerTokens(p *auth.Principal) []string {
	t := []string{"user:" + p.UserID, "office"}
	for _, d := range p.Departments {
		t = append(t, "dept:"+d)
	}
	for _, s := range p.Scopes(PermEdit) {
		t = append(t, "edit:"+s)
	}
	for _, s := range p.Scopes(PermReview) {
		t = append(t, "review:"+s)
	}
	return t
}

// MayRead reports whether p may see the item at all (else: 404).
func MayRead(p *auth.Principal, it *Item) bool {
	if p == nil || !p.MayRead(it.Classification) {
		return false
	}
	mine := readerTokens(p)
	for _, r := range readers(it) {
		for _, m := range mine {
			if r == m {
				return true
			}
		}
	}
	return false
}
