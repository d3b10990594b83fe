package content

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"zhengwu/cms/channel"
	"zhengwu/cms/item"
	"zhengwu/shared/problem"
	"zhengwu/shared/richtext"
	"zhengwu/shared/store"
	"zhengwu/shared/validation"
)

// Fields are an edition's content. One struct serves every type; Validate
// checks which fields a type requires and which it may not carry. Dates
// are strings ("2006-01-02", or RFC 3339) so that a diff shows what the
// editor typed.
type Fields struct {
	Title    string `json:"title,omitempty" validate:"max=200,nocontrol"`
	Subtitle string `json:"subtitle,omitempty" validate:"max=200,nocontrol"`
	Summary  string `json:"summary,omitempty" validate:"max=1000"`
	Body     string `json:"body,omitempty" validate:"max=2000000"`
	Source   string `json:"source,omitempty" validate:"max=100,nocontrol"`
	Author   string `json:"author,omitempty" validate:"max=100,nocontrol"`
	Cover    string `json:"cover,omitempty" validate:"max=100,nocontrol"`

	// Policy file (政策文件).
	DocNumber   string   `json:"docNumber,omitempty" validate:"max=60,nocontrol"`
	Issuers     []string `json:"issuers,omitempty" validate:"max=20,dive,required,max=60,nocontrol"`
	Genre       string   `json:"genre,omitempty" validate:"max=20,nocontrol"`
	WrittenAt   string   `json:"writtenAt,omitempty" validate:"max=40,nocontrol"`
	PublishAt   string   `json:"publishAt,omitempty" validate:"max=40,nocontrol"`
	EffectiveAt string   `json:"effectiveAt,omitempty" validate:"max=40,nocontrol"`
	ExpiresAt   string   `json:"expiresAt,omitempty" validate:"max=40,nocontrol"`
	Validity    string   `json:"validity,omitempty" validate:"max=20,nocontrol"`
	Links       *Links   `json:"links,omitempty"`

	// Speech and activity.
	Leader   string `json:"leader,omitempty" validate:"max=40,nocontrol"`
	Occasion string `json:"occasion,omitempty" validate:"max=200,nocontrol"`
	Date     string `json:"date,omitempty" validate:"max=40,nocontrol"`
	Place    string `json:"place,omitempty" validate:"max=200,nocontrol"`

	// Research report.
	Series      string            `json:"series,omitempty" validate:"max=20,nocontrol"`
	Issue       string            `json:"issue,omitempty" validate:"max=40,nocontrol"`
	Authors     []string          `json:"authors,omitempty" validate:"max=50,dive,required,max=60,nocontrol"`
	Attachments []item.Attachment `json:"attachments,omitempty" validate:"max=50"`
}

// Links are typed links to other documents (ids).
type Links struct {
	Amends     []string `json:"amends,omitempty" validate:"max=50,dive,required,max=64,nocontrol"`
	Repeals    []string `json:"repeals,omitempty" validate:"max=50,dive,required,max=64,nocontrol"`
	Interprets []string `json:"interprets,omitempty" validate:"max=50,dive,required,max=64,nocontrol"`
}

// Report series.
var Series = []string{"国研报告", "人大复印资料"}

// Types are the content types a document may have.
var Types = []string{channel.TypeArticle, channel.TypePolicy, channel.TypeSpeech, channel.TypeActivity, channel.TypeReport}

var (
	docNumberRe = regexp.MustCompile(`^\p{Han}{1,20}〔(\d{4})〕([1-9]\d{0,4})号$`)
	// docNumberLoose accepts the brackets people actually type.
	docNumberLoose = regexp.MustCompile(`^\s*(\p{Han}{1,20})\s*[\[(（【［〔]\s*(\d{4})\s*[\])）】］〕]\s*0*(\d{1,5})\s*号\s*$`)
	mediaIDRe      = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)
	chinaTime      = time.FixedZone("CST", 8*3600)
)

// NormalizeDocNumber rewrites a 文号 with [2026], (2026), （2026） or
// 【2026】 into the standard 〔2026〕 form. It returns the input unchanged
// when it is not recognisably a 文号; ValidDocNumber then rejects it.
func NormalizeDocNumber(s string) string {
	m := docNumberLoose.FindStringSubmatch(s)
	if m == nil {
		return strings.TrimSpace(s)
	}
	return m[1] + "〔" + m[2] + "〕" + m[3] + "号"
}

// ValidDocNumber reports whether s is a standard 文号: an issuer's prefix in
// Chinese, a year in 〔〕 and a number followed by 号.
func ValidDocNumber(s string) bool {
	m := docNumberRe.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	var year int
	fmt.Sscan(m[1], &year)
	return year >= 1949 && year <= 2100
}

// ParseDate reads "2006-01-02" (China time) or an RFC 3339 date-time.
func ParseDate(s string) (time.Time, error) {
	if t, err := time.ParseInLocation("2006-01-02", s, chinaTime); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

type fieldErrs []problem.FieldError

func (f *fieldErrs) add(field, zh, en string) {
	*f = append(*f, problem.Field("fields."+field, zh, en))
}

func (f fieldErrs) err() error {
	if len(f) == 0 {
		return nil
	}
	return problem.Invalid(f...)
}

// normalize sanitises the body and tidies strings in place, before
// validation, so that what is validated is what is stored.
func (f *Fields) normalize() {
	trim := func(ss ...*string) {
		for _, s := range ss {
			*s = strings.TrimSpace(*s)
		}
	}
	trim(&f.Title, &f.Subtitle, &f.Summary, &f.Source, &f.Author, &f.Cover, &f.Genre,
		&f.WrittenAt, &f.PublishAt, &f.EffectiveAt, &f.ExpiresAt, &f.Validity,
		&f.Leader, &f.Occasion, &f.Date, &f.Place, &f.Series, &f.Issue)
	if f.Body != "" {
		f.Body = richtext.Sanitize(f.Body)
	}
	if f.DocNumber != "" {
		f.DocNumber = NormalizeDocNumber(f.DocNumber)
	}
	if f.Links != nil && len(f.Links.Amends)+len(f.Links.Repeals)+len(f.Links.Interprets) == 0 {
		f.Links = nil
	}
}

// validateFields checks f for a document of type typ (id is the document's
// own id, "" when creating). It returns a 400 problem naming every bad
// field, in Chinese and English.
func (s *Service) validateFields(ctx context.Context, typ, id string, f *Fields) error {
	f.normalize()
	if err := validation.Struct(struct {
		Fields *Fields `json:"fields"`
	}{f}); err != nil {
		return err
	}
	strs := []string{f.Title, f.Subtitle, f.Summary, f.Body, f.Source, f.Author, f.Cover, f.DocNumber, f.Genre,
		f.WrittenAt, f.PublishAt, f.EffectiveAt, f.ExpiresAt, f.Validity, f.Leader, f.Occasion, f.Date, f.Place, f.Series, f.Issue}
	strs = append(strs, f.Issuers...)
	strs = append(strs, f.Authors...)
	if !validation.ValidUTF8(strs...) {
		return problem.Invalid(problem.Field("fields", "包含无效的 UTF-8 字符", "contains invalid UTF-8"))
	}
	var errs fieldErrs
	required := func(name, label, v string) {
		if v == "" {
			errs.add(name, label+"为必填字段", name+" is required")
		}
	}
	forbid := func(name string, set bool) {
		if set {
			errs.add(name, "该内容类型不使用此字段", "this content type does not take this field")
		}
	}
	date := func(name, label, v string) (time.Time, bool) {
		if v == "" {
			return time.Time{}, false
		}
		t, err := ParseDate(v)
		if err != nil {
			errs.add(name, label+"必须是日期，格式如 2026-01-02", name+" must be a date such as 2026-01-02")
			return time.Time{}, false
		}
		return t, true
	}
	required("title", "标题", f.Title)
	if utf8.RuneCountInString(f.Title) > 200 {
		errs.add("title", "标题不能超过200个字符", "title must be at most 200 characters")
	}
	if f.Cover != "" && !mediaIDRe.MatchString(f.Cover) {
		errs.add("cover", "封面图片必须是媒体库中的文件编号", "cover must be a media id")
	} else if f.Cover != "" && s.media != nil {
		m, ok, err := s.media(ctx, f.Cover)
		switch {
		case err != nil:
			return fmt.Errorf("content: look up media %s: %w", f.Cover, err)
		case !ok:
			errs.add("cover", "封面图片在媒体库中不存在", "cover does not exist in the media store")
		case m.Type != "" && !strings.HasPrefix(m.Type, "image/"):
			errs.add("cover", "封面必须是图片", "cover must be an image")
		}
	}
	isPolicy := typ == channel.TypePolicy
	isLeader := typ == channel.TypeSpeech || typ == channel.TypeActivity
	isReport := typ == channel.TypeReport

	if isPolicy {
		required("docNumber", "文号", f.DocNumber)
		if f.DocNumber != "" && !ValidDocNumber(f.DocNumber) {
			errs.add("docNumber", "文号格式应为“发文机关代字〔年份〕序号号”，如 皖政办〔2026〕12号",
				"docNumber must look like 皖政办〔2026〕12号")
		}
		if len(f.Issuers) == 0 {
			errs.add("issuers", "发文机关为必填字段，至少一个", "issuers needs at least one issuing body")
		}
		required("genre", "文种", f.Genre)
		required("writtenAt", "成文日期", f.WrittenAt)
		written, okW := date("writtenAt", "成文日期", f.WrittenAt)
		date("publishAt", "发布日期", f.PublishAt)
		eff, okE := date("effectiveAt", "施行日期", f.EffectiveAt)
		exp, okX := date("expiresAt", "失效日期", f.ExpiresAt)
		if okE && okX && !exp.After(eff) {
			errs.add("expiresAt", "失效日期必须晚于施行日期", "expiresAt must be after effectiveAt")
		}
		if okW && okE && eff.Before(written) {
			errs.add("effectiveAt", "施行日期不能早于成文日期", "effectiveAt must not be before writtenAt")
		}
		required("validity", "效力状态", f.Validity)
		if f.Validity != "" && !slices.Contains(item.Validities, f.Validity) {
			errs.add("validity", "效力状态必须是 "+strings.Join(item.Validities, "、")+" 之一",
				"validity must be one of "+strings.Join(item.Validities, ", "))
		}
	} else {
		forbid("docNumber", f.DocNumber != "")
		forbid("issuers", len(f.Issuers) > 0)
		forbid("genre", f.Genre != "")
		forbid("writtenAt", f.WrittenAt != "")
		forbid("publishAt", f.PublishAt != "")
		forbid("effectiveAt", f.EffectiveAt != "")
		forbid("expiresAt", f.ExpiresAt != "")
		forbid("validity", f.Validity != "")
	}
	if isPolicy || typ == channel.TypeArticle {
		if f.Links != nil {
			s.checkLinks(ctx, id, f.Links, &errs)
		}
	} else {
		forbid("links", f.Links != nil)
	}
	if isLeader {
		required("leader", "领导姓名", f.Leader)
		required("occasion", "场合", f.Occasion)
		required("date", "日期", f.Date)
		date("date", "日期", f.Date)
	} else {
		forbid("leader", f.Leader != "")
		forbid("occasion", f.Occasion != "")
		forbid("date", f.Date != "")
		forbid("place", f.Place != "")
	}
	if isReport {
		required("series", "丛书系列", f.Series)
		if f.Series != "" && !slices.Contains(Series, f.Series) {
			errs.add("series", "丛书系列必须是 国研报告、人大复印资料 之一", "series must be 国研报告 or 人大复印资料")
		}
		required("issue", "期号", f.Issue)
		if len(f.Authors) == 0 {
			errs.add("authors", "作者为必填字段，至少一位", "authors needs at least one author")
		}
	} else {
		forbid("series", f.Series != "")
		forbid("issue", f.Issue != "")
		forbid("authors", len(f.Authors) > 0)
	}
	for i, a := range f.Attachments {
		name := fmt.Sprintf("attachments[%d]", i)
		if !mediaIDRe.MatchString(a.MediaID) {
			errs.add(name+".mediaId", "附件必须是媒体库中的文件编号", "mediaId must be a media id")
		} else if s.media != nil {
			m, ok, err := s.media(ctx, a.MediaID)
			if err != nil {
				return fmt.Errorf("content: look up media %s: %w", a.MediaID, err)
			}
			if !ok {
				errs.add(name+".mediaId", "附件在媒体库中不存在", "mediaId does not exist in the media store")
			} else {
				// Fill what the caller left out from the media record.
				if strings.TrimSpace(a.Name) == "" {
					a.Name = m.Name
				}
				if a.Size == 0 {
					a.Size = m.Size
				}
				if a.Type == "" {
					a.Type = m.Type
				}
				f.Attachments[i] = a
			}
		}
		if strings.TrimSpace(a.Name) == "" || utf8.RuneCountInString(a.Name) > 200 || !utf8.ValidString(a.Name+a.Type) {
			errs.add(name+".name", "附件名称为必填字段，不超过200个字符", "name is required, at most 200 characters")
		}
		if a.Size < 0 {
			errs.add(name+".size", "附件大小不能为负数", "size must not be negative")
		}
	}
	return errs.err()
}

// checkLinks verifies that every linked document exists, is a policy file
// and is not the document itself.
func (s *Service) checkLinks(ctx context.Context, self string, l *Links, errs *fieldErrs) {
	check := func(kind string, ids []string) {
		seen := map[string]bool{}
		for i, id := range ids {
			name := fmt.Sprintf("links.%s[%d]", kind, i)
			switch {
			case id == self && self != "":
				errs.add(name, "不能链接到文档自身", "a document cannot link to itself")
				continue
			case seen[id]:
				errs.add(name, "重复的链接", "duplicate link")
				continue
			}
			seen[id] = true
			r, _, err := store.Load[record](ctx, s.store, DocumentsCollection, id)
			switch {
			case errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid):
				errs.add(name, "链接的文档不存在", "linked document does not exist")
			case err != nil:
				errs.add(name, "链接的文档暂时无法读取", "linked document cannot be read")
			case r.Type != channel.TypePolicy:
				errs.add(name, "只能链接到政策文件", "links must point at policy files")
			}
		}
	}
	check("amends", l.Amends)
	check("repeals", l.Repeals)
	check("interprets", l.Interprets)
}

// MediaIDs are the files the fields show: the cover, the attachments and
// the images of the body.
func (f Fields) MediaIDs() []string { return item.MediaIDs(f.Body, f.Cover, f.Attachments) }
