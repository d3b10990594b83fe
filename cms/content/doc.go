// Package content is the portal's editorial domain (the management side of
// 政务信息网): documents with a stable id and numbered editions, typed and
// validated fields, the review workflow (初审 → 终审 by default), scheduled
// publication and withdrawal, rollback, field diffs, preview tokens and the
// management list and review queue from a Bleve query side.
//
// A document's whole workflow state lives in one store document
// (collection cms_documents), so that every step is one compare-and-set;
// every edition is also kept in cms_editions ("<docID>/<nnnn>") as history.
// Whenever what readers see changes (publish, withdraw, redirect, remove,
// rollback) the document's item.Item is written to portal_items, the only
// thing the delivery side reads.
//
// Publishing a policy file that repeals or amends others changes the
// targets' validity through system editions (legal.go: 已废止 / 已修改,
// idempotent, audited, not undone by a rollback of the repealing file).
// With Deps.MediaInfo set, saving a draft checks that the cover and the
// attachments exist in the media store. RunDue also sweeps expired
// preview tokens, a bounded batch per call.
//
// The package knows nothing of HTTP: errors are *problem.Error values or
// store errors, turned into statuses by shared/httpx. See contenthttp for
// the routes.
package content

import (
	"time"

	"zhengwu/cms/item"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
)

// Collections this package owns.
const (
	DocumentsCollection = "cms_documents"
	EditionsCollection  = "cms_editions"
	PreviewsCollection  = "cms_previews"
)

// Permissions (granted by officeapi/identity roles).
var (
	PermEdit    = auth.PermPortalEdit
	PermReview  = auth.PermPortalReview
	PermPublish = auth.PermPortalPublish
)

// Document states.
const (
	StateDraft      = "draft"
	StateInReview   = "in_review"
	StateScheduled  = "scheduled"
	StatePublished  = "published"
	StateWithdrawn  = "withdrawn"
	StateRedirected = "redirected"
	StateGone       = "gone"
)

// States lists every document state (for validating list filters).
var States = []string{StateDraft, StateInReview, StateScheduled, StatePublished, StateWithdrawn, StateRedirected, StateGone}

// Edition states. An edition is a draft while edited, in review, scheduled
// once approved for a future time, published while live, superseded when
// a newer edition went live (or the document was withdrawn or removed).
const (
	EditionDraft      = "draft"
	EditionInReview   = "in_review"
	EditionScheduled  = "scheduled"
	EditionPublished  = "published"
	EditionSuperseded = "superseded"
)

// Review decisions.
const (
	DecisionApproved = "approved"
	DecisionRejected = "rejected"
)

// Heading is what names a document and where it stands: the stored
// document and a row of the management list (Summary) both begin with it.
type Heading struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Channel    string `json:"channel"`
	Department string `json:"department"`
	// State is the working edition's state while there is one (draft,
	// in_review, scheduled), otherwise what readers see (published,
	// withdrawn, redirected, gone).
	State string `json:"state"`
	// Step is the review step awaited while in_review (e.g. 初审).
	Step string `json:"step,omitempty"`
}

// Document is the stable identity of a piece of portal content and its
// workflow state. The working edition (draft, in review or scheduled) and
// the live edition are returned beside it (see View).
type Document struct {
	Heading
	StepIndex int `json:"stepIndex"`
	// Live is what readers see: "" (never published), published,
	// withdrawn, redirected or gone.
	Live     string `json:"live,omitempty"`
	Editions int    `json:"editions"` // number of the latest edition
	Title    string `json:"title"`    // of the latest edition, for lists

	// PublishAt is when a scheduled edition goes live.
	PublishAt *time.Time `json:"publishAt,omitempty"`
	// WithdrawAt and WithdrawReason describe a scheduled withdrawal.
	WithdrawAt     *time.Time   `json:"withdrawAt,omitempty"`
	WithdrawReason string       `json:"withdrawReason,omitempty"`
	Withdrawal     *item.Notice `json:"withdrawal,omitempty"`
	RedirectTo     string       `json:"redirectTo,omitempty"`
	// Source is set on a document the data gateway imported from the
	// office (see imported.go).
	Source *Source `json:"source,omitempty"`

	FirstPublishedAt *time.Time `json:"firstPublishedAt,omitempty"`
	CreatedBy        string     `json:"createdBy"`
	CreatedAt        time.Time  `json:"createdAt"`
	UpdatedAt        time.Time  `json:"updatedAt"`
}

// Edition is one numbered version of a document's fields with who wrote,
// submitted, reviewed and published it.
type Edition struct {
	DocID      string `json:"docId"`
	Number     int    `json:"number"`
	State      string `json:"state"`
	Fields     Fields `json:"fields"`
	ChangeNote string `json:"changeNote,omitempty"`

	Editor     string `json:"editor"` // user id of the last editor
	EditorName string `json:"editorName,omitempty"`
	// Authors are the user ids of everyone who wrote or edited this
	// edition, first author first: none of them may review it.
	Authors []string `json:"authors,omitempty"`

	SubmittedBy     string     `json:"submittedBy,omitempty"`
	SubmittedByName string     `json:"submittedByName,omitempty"`
	SubmittedAt     *time.Time `json:"submittedAt,omitempty"`
	// Round counts the edition's submissions; the reviews of the current
	// pass through the steps carry it (see Review.Round).
	Round   int      `json:"round,omitempty"`
	Reviews []Review `json:"reviews,omitempty"`

	PublishAt    *time.Time `json:"publishAt,omitempty"` // when scheduled
	PublishedBy  string     `json:"publishedBy,omitempty"`
	PublishedAt  *time.Time `json:"publishedAt,omitempty"`
	SupersededAt *time.Time `json:"supersededAt,omitempty"`
	// RolledBackFrom is the edition whose fields this one republished.
	RolledBackFrom int `json:"rolledBackFrom,omitempty"`

	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Review is one reviewer's decision on one step.
type Review struct {
	Step string `json:"step"`
	// Round is the submission (Edition.Round) the decision belongs to.
	Round        int       `json:"round,omitempty"`
	Reviewer     string    `json:"reviewer"`
	ReviewerName string    `json:"reviewerName,omitempty"`
	Decision     string    `json:"decision"`
	Comment      string    `json:"comment,omitempty"` // the reason of a rejection
	At           time.Time `json:"at"`
}

// record is what cms_documents stores: the document and its working and
// live editions, so that one compare-and-set moves all of them.
type record struct {
	Document
	Draft *Edition `json:"draft,omitempty"`
	Pub   *Edition `json:"published,omitempty"`
	// Queue holds the grants that may take the current review step (see
	// queueTokens); the review queue filters on it.
	Queue []string `json:"queue,omitempty"`
	// Barred are the user ids who may not take the current review step
	// even with the grant (see barred): the review queue leaves the
	// document out for them.
	Barred []string `json:"barred,omitempty"`
}

// View is a document as the management API returns it.
type View struct {
	// ID repeats Document.ID, for clients that only need the id.
	ID       string   `json:"id"`
	Document Document `json:"document"`
	// Draft is the working edition (draft, in review or scheduled) and
	// Published the live one: either may be null.
	Draft     *Edition `json:"draft" jsonschema:"nullable"`
	Published *Edition `json:"published" jsonschema:"nullable"`
	// Version is the store version to send back with the next change.
	Version int64 `json:"version"`
	// Seq is the feed sequence of the write that produced this version;
	// pass it as ?consistentWith= to see the change in lists.
	Seq int64 `json:"seq,omitempty"`
	// AttachmentIssues are the published edition's attachments whose text
	// search could not index, each with the reason (item.ReportOf).
	AttachmentIssues []source.Refusal `json:"attachmentIssues,omitempty"`
}
