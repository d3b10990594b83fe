package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// contentDigest is the SHA-256 of a record's content: everything archived,
// nothing appended since (events and the summaries of them), nor the
// digest itself.
func contentDigest(r *Record) string {
	c := *r
	c.ContentSHA256, c.Events, c.Status, c.Fixity, c.FixityAt, c.Appraisal, c.ExpiresOn = "", nil, "", "", time.Time{}, "", ""
	data, err := json.Marshal(c)
	if err != nil {
		return ""
	}
	return sum(data)
}

func sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}
