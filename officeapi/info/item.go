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
	"slices"
	"time"

	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/richtext"
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
	// SubmittedBy is who last sent the item to review: neither they nor
	// the author may approve it (审核分离).
	SubmittedBy string `json:"submittedBy,omitempty"`
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
	Name    string `json:"name" validate:"required,max=255,nocontrol"`
	// Size and Type are the stored file's (what the upload's content
	// sniffing found); what a client sends is ignored.
	Size int64  `json:"size" validate:"gte=0"`
	Type string `json:"type" validate:"max=127"`
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

// AccessOf is who may read an item: the one rule that reads by id, the
// list index, office search and attachment downloads all apply.
//
//   - a draft: its author and the department's editors;
//   - submitted, rejected or withdrawn: also the department's reviewers
//     and the office's;
//   - published with a need-to-know list (知悉范围): the listed people and
//     the author, no one else;
//   - published for the department: its members, editors and reviewers
//     (not office-wide holders: docs/info-gateway.md says the department
//     only);
//   - published for the office or the portal: every member of staff.
//
// The 密级 applies on top of all of these.
func AccessOf(it *Item) auth.Access {
	d := it.Department
	r := []string{auth.User(it.Author)}
	editors := []string{auth.Holder(PermEdit, d), auth.Holder(PermEdit, auth.OfficeWide)}
	switch it.State {
	case StateDraft:
		r = append(r, editors...)
	case StatePublished:
		switch {
		case len(it.Principals) > 0:
			for _, u := range it.Principals {
				r = append(r, auth.User(u))
			}
		case it.Audience == AudienceDepartment:
			r = append(r, auth.Member(d), auth.Holder(PermEdit, d), auth.Holder(PermReview, d))
		default:
			r = append(r, auth.Staff)
		}
	default: // submitted, rejected, withdrawn
		r = append(r, editors...)
		r = append(r, auth.Holder(PermReview, d), auth.Holder(PermReview, auth.OfficeWide))
	}
	return auth.Access{Classification: it.Classification, Readers: r}
}

// MayRead reports whether p may see the item at all (else: 404).
func MayRead(p *auth.Principal, it *Item) bool { return AccessOf(it).Allows(p) }

// Kinds and States list the enumerations, in the order the API gives them.
var (
	Kinds     = []string{KindNotice, KindBriefing, KindUpdate, KindInternal}
	States    = []string{StateDraft, StateSubmitted, StatePublished, StateRejected, StateWithdrawn}
	Audiences = []string{AudienceDepartment, AudienceOffice, AudiencePortal}
)

func validKind(k string) bool  { return slices.Contains(Kinds, k) }
func validState(s string) bool { return slices.Contains(States, s) }

// RuleList is the list of auto-publish rules.
type RuleList struct {
	Items []Rule `json:"items"`
	Total int    `json:"total"`
}

// MediaIDs are the files the item shows: its attachments and the images
// of its body.
func (it *Item) MediaIDs() []string {
	ids := richtext.MediaIDs(it.Body)
	for _, a := range it.Attachments {
		ids = append(ids, a.MediaID)
	}
	return ids
}
