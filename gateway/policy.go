package gateway

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"zhengwu/cms/channel"
	"zhengwu/officeapi/info"
	"zhengwu/shared/classification"
)

// InfoCollection is the office store's collection of department
// information items (docs/info-gateway.md).
const InfoCollection = info.Collection

// Item is an information item: the office's own declaration (info.Item),
// imported rather than restated, so that the contract cannot drift.
type Item = info.Item

const articleType = channel.TypeArticle

// AllowedTypes are the attachment MIME types that may cross: PDF, OFD,
// DOCX, XLSX, JPEG, PNG.
var AllowedTypes = []string{
	"application/pdf",
	"application/ofd",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"image/jpeg",
	"image/png",
}

// Rules: the stable codes of the release policy's decisions, recorded in
// the audit trail (Reason) and in withdrawals.
const (
	RuleReleased         = "released"              // every check passed
	RuleMalformed        = "malformed"             // unknown key, missing field or unknown value
	RuleClassified       = "classified"            // classification is not 非密
	RuleAudience         = "audience_not_portal"   // audience is not portal
	RuleState            = "not_published"         // not published in the office
	RuleNotDesignated    = "not_designated"        // portal.designated false or absent
	RuleNoChannel        = "no_channel"            // no target channel
	RuleNotApproved      = "not_approved"          // portal.approved false
	RuleRevision         = "revision_not_approved" // approvedRevision != revision
	RuleNeedToKnow       = "need_to_know"          // principals limit who may read it
	RuleAttachment       = "attachment_type"       // an attachment type not allow-listed
	RuleChannelMissing   = "channel_missing"       // the channel does not exist
	RuleChannelType      = "channel_not_articles"  // the channel does not take articles
	RuleEmbargoed        = "embargoed"             // embargoUntil in the future
	RuleSourceMissing    = "source_missing"        // the item was deleted
	RuleRejectedByPortal = "portal_rejected"       // the CMS refused the content (invalid fields)
)

// Policy is the release policy of docs/info-gateway.md.
type Policy struct {
	Channels *channel.Tree
}

// DecodeItem reads an info item strictly: an unknown key is an error, so
// that a field the gateway does not understand (a document written by a
// newer version of the office, say) can never be ignored.
func DecodeItem(data []byte) (Item, error) {
	var it Item
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&it); err != nil {
		return Item{}, err
	}
	if dec.More() {
		return Item{}, fmt.Errorf("trailing data after the item")
	}
	return it, nil
}

// Decide applies the policy to it at now. It fails closed: anything
// missing or unknown is refused. rule says which check decided.
func (p Policy) Decide(it Item, now time.Time) (allowed bool, rule string) {
	if rule := wellFormed(it); rule != "" {
		return false, rule
	}
	switch {
	case it.Classification != classification.Feimi:
		return false, RuleClassified
	case it.Audience != info.AudiencePortal:
		return false, RuleAudience
	case it.State != info.StatePublished:
		return false, RuleState
	case !it.Portal.Designated:
		return false, RuleNotDesignated
	case strings.TrimSpace(it.Portal.Channel) == "":
		return false, RuleNoChannel
	case !it.Portal.Approved:
		return false, RuleNotApproved
	case it.Portal.ApprovedRevision != it.Revision:
		return false, RuleRevision
	case len(it.Principals) > 0:
		return false, RuleNeedToKnow
	}
	for _, a := range it.Attachments {
		if !slices.Contains(AllowedTypes, strings.ToLower(strings.TrimSpace(a.Type))) {
			return false, RuleAttachment
		}
	}
	if p.Channels == nil {
		return false, RuleChannelMissing
	}
	c, ok := p.Channels.Get(it.Portal.Channel)
	switch {
	case !ok:
		return false, RuleChannelMissing
	case !c.Accepts(articleType):
		return false, RuleChannelType
	}
	if e := it.Portal.EmbargoUntil; e != nil && e.After(now) {
		return false, RuleEmbargoed
	}
	return true, RuleReleased
}

// wellFormed checks what must be present and known; "" when it is.
func wellFormed(it Item) string {
	switch {
	case it.ID == "", it.Department == "", strings.TrimSpace(it.Title) == "", it.Revision < 1,
		!slices.Contains(info.Kinds, it.Kind),
		!it.Classification.Valid(),
		!slices.Contains(info.Audiences, it.Audience),
		!slices.Contains(info.States, it.State):
		return RuleMalformed
	}
	for _, a := range it.Attachments {
		if a.MediaID == "" || a.Type == "" {
			return RuleMalformed
		}
	}
	return ""
}

// candidate: someone meant the item for the portal. Refusals of other
// items (a department's drafts) are counted as ignored, not audited.
func candidate(it Item) bool {
	return it.Audience == info.AudiencePortal || it.Portal.Designated || it.Portal.Approved
}

func ruleText(rule string) string {
	if zh, ok := ruleZh[rule]; ok {
		return fmt.Sprintf("%s（%s）", zh, rule)
	}
	return rule
}

var ruleZh = map[string]string{
	RuleMalformed:        "信息格式不符合约定",
	RuleClassified:       "密级不是非密",
	RuleAudience:         "未指定发布到门户",
	RuleState:            "信息未发布或已撤回",
	RuleNotDesignated:    "未指定发布到门户",
	RuleNoChannel:        "未指定门户栏目",
	RuleNotApproved:      "未经门户发布审批",
	RuleRevision:         "当前版本未经门户发布审批",
	RuleNeedToKnow:       "信息限定知悉范围",
	RuleAttachment:       "附件类型不在允许范围内",
	RuleChannelMissing:   "门户栏目不存在",
	RuleChannelType:      "门户栏目不接受文章",
	RuleEmbargoed:        "尚未到解禁时间",
	RuleSourceMissing:    "来源信息已删除",
	RuleRejectedByPortal: "门户拒绝了内容",
}
