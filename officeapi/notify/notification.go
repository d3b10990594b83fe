package notify

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// Collection holds one Notification per recipient and Key.
const Collection = "notifications"

// Notification is one notice as one recipient's inbox holds it: the
// stored document, and the API's answer.
type Notification struct {
	ID             string               `json:"id"`
	Recipient      string               `json:"recipient"`
	Kind           string               `json:"kind"`
	Title          string               `json:"title"`
	Body           string               `json:"body,omitempty"`
	Link           string               `json:"link,omitempty"`
	Key            string               `json:"key"`
	Classification classification.Level `json:"classification"`
	Actor          string               `json:"actor,omitempty"`
	CreatedAt      time.Time            `json:"createdAt"`
	Read           bool                 `json:"read"`
	ReadAt         *time.Time           `json:"readAt,omitempty"`
	// Deleted is the recipient's deletion. The document stays (until the
	// retention sweep) so that a retried Send of its Key still finds it
	// and does not bring the notice back.
	Deleted bool `json:"deleted,omitempty"`
}

// View is a notification with its version and feed sequence
// (NotifyNotificationView).
type View = records.View[Notification]

// Page is one page of the inbox (NotifyNotificationPage).
type Page = records.Page[Notification]

// idOf is the notification's id: a hash of recipient and Key, so that the
// same Key sent again to the same person names the same document and a
// create-only write of it is a no-op.
func idOf(recipient, key string) string {
	h := sha256.Sum256([]byte(recipient + "\x00" + key))
	return hex.EncodeToString(h[:16])
}

// AccessOf is who may read a notification: its recipient alone, with the
// clearance its 密级 needs; a deleted one no one (it stays in the list
// index with no reader, for the retention sweep to find).
func AccessOf(n *Notification) auth.Access {
	if n.Deleted {
		return auth.Access{Classification: n.Classification}
	}
	return auth.Access{Classification: n.Classification, Readers: []string{auth.User(n.Recipient)}}
}

// Kinds that a person cannot switch off: a 公文 to handle, and its urging,
// must be seen.
var mandatory = map[string]bool{KindTask: true, KindUrge: true}

// Mandatory reports whether kind cannot be switched off.
func Mandatory(kind string) bool { return mandatory[kind] }
