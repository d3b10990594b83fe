// Package item is the published portal item: the one document per portal
// item that the delivery API serves and the query side indexes. The
// content service (cms/content) writes it whenever an edition is
// published, withdrawn, redirected or removed; nothing else writes it.
// It is the contract between the editors' side and the readers' side;
// SearchProjection is how the portal search index reads it.
package item

import (
	"time"
	"zhengwu/shared/richtext"
)

// Collection holds one Item per document id.
const Collection = "portal_items"

// Statuses of a published item.
const (
	StatusPublished  = "published"
	StatusWithdrawn  = "withdrawn"  // still readable, with a notice and a reason; left out of default lists
	StatusRedirected = "redirected" // readers are sent to RedirectTo
	// StatusGone is 410. A copy the data gateway took back keeps a
	// Withdrawal with a public notice (never the gateway's reason).
	StatusGone = "gone"
)

// Validity of a policy file (效力状态).
const (
	ValidityInForce  = "有效"
	ValidityAmended  = "已修改"
	ValidityPartly   = "部分失效"
	ValidityRepealed = "已废止"
	ValidityExpired  = "已失效"
)

// Validities in display order.
var Validities = []string{ValidityInForce, ValidityAmended, ValidityPartly, ValidityRepealed, ValidityExpired}

// Item is what readers get.
type Item struct {
	ID         string `json:"id"`
	Type       string `json:"type" jsonschema:"enum=article,enum=policy,enum=speech,enum=activity,enum=report"`
	Channel    string `json:"channel"`
	Department string `json:"department"`
	Path       string `json:"path"` // unique, readable: "files/wanzhengban-2026-12"
	Visibility string `json:"visibility" jsonschema:"enum=public,enum=internal"`

	Title    string `json:"title"`
	Subtitle string `json:"subtitle,omitempty"`
	Summary  string `json:"summary,omitempty"`
	Body     string `json:"body,omitempty"`     // sanitised HTML
	BodyText string `json:"bodyText,omitempty"` // plain text of Body, for search
	Source   string `json:"source,omitempty"`
	Author   string `json:"author,omitempty"`
	Cover    string `json:"cover,omitempty"` // media id

	Policy *Policy `json:"policy,omitempty"`
	Leader *Leader `json:"leader,omitempty"` // speech and activity
	Report *Report `json:"report,omitempty"`

	Attachments []Attachment `json:"attachments,omitempty"`
	Links       Links        `json:"links"`

	Status     string  `json:"status" jsonschema:"enum=published,enum=withdrawn,enum=redirected,enum=gone"`
	Withdrawal *Notice `json:"withdrawal,omitempty"`
	RedirectTo string  `json:"redirectTo,omitempty"`

	Edition     int       `json:"edition"`
	ChangeNote  string    `json:"changeNote,omitempty"`
	PublishedAt time.Time `json:"publishedAt"` // first publication
	UpdatedAt   time.Time `json:"updatedAt"`   // this edition went public
	// NextChangeAt is the next scheduled change (withdrawal, a newer
	// edition); caches must not outlive it.
	NextChangeAt *time.Time `json:"nextChangeAt,omitempty"`
}

// Policy is a policy file's metadata (政策文件).
type Policy struct {
	DocNumber   string     `json:"docNumber"`             // 文号, e.g. 皖政办〔2026〕12号
	Issuers     []string   `json:"issuers"`               // issuing bodies; joint issuance lists several
	Genre       string     `json:"genre"`                 // 文种: 通知, 意见, 办法 …
	WrittenAt   time.Time  `json:"writtenAt"`             // 成文日期
	EffectiveAt *time.Time `json:"effectiveAt,omitempty"` // 施行日期
	ExpiresAt   *time.Time `json:"expiresAt,omitempty"`   // 失效日期
	Validity    string     `json:"validity"`              // one of Validities
}

// Leader is a speech's or an activity's metadata.
type Leader struct {
	Name     string    `json:"name"`
	Occasion string    `json:"occasion"`
	Date     time.Time `json:"date"`
	Place    string    `json:"place,omitempty"`
}

// Report is a research report's metadata.
type Report struct {
	Series  string   `json:"series"` // 国研报告 or 人大复印资料
	Issue   string   `json:"issue"`  // e.g. 2026年第12期
	Authors []string `json:"authors"`
}

// Attachment is a file in the media store.
type Attachment struct {
	MediaID string `json:"mediaId"`
	Name    string `json:"name"`
	Size    int64  `json:"size"`
	Type    string `json:"type"` // MIME type
}

// Links are typed links to other items (ids). Reverse links (amendedBy,
// repealedBy, interpretedBy) are not stored: the delivery API finds them
// through the query side.
type Links struct {
	Amends     []string `json:"amends,omitempty"`
	Repeals    []string `json:"repeals,omitempty"`
	Interprets []string `json:"interprets,omitempty"`
}

// Notice explains a withdrawal.
type Notice struct {
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// MediaIDs are the files the item shows: the images of its body, its
// cover and its attachments.
func (it Item) MediaIDs() []string { return MediaIDs(it.Body, it.Cover, it.Attachments) }

// MediaIDs are the files a body, a cover and attachments show (an item's,
// or an edition's fields, which become an item's): the images of the
// body, then the cover, then the attachments.
func MediaIDs(body, cover string, attachments []Attachment) []string {
	ids := richtext.MediaIDs(body)
	if cover != "" {
		ids = append(ids, cover)
	}
	for _, a := range attachments {
		ids = append(ids, a.MediaID)
	}
	return ids
}
