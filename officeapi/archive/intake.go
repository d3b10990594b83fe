package archive

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"zhengwu/officeapi/records"
	"zhengwu/shared/attachment"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Intake of old records (zhengwu import --into archive): a record that
// never went through the workflow — a file from an old system or a
// scanned 公文 folder — with its description, 密级 and retention given by
// the archivist who imports it. It gets a 档号 in the same sequence as a
// sealed record, its one part is the original file (with its SHA-256, so
// the fixity check covers it), and ImportedFrom says where it came from,
// so that an archivist can tell it from a sealed record. Its readers are
// the archive's keepers alone (AccessOf: an imported record has no
// document readers).
//
// The record's id derives from the source's key, so the record itself is
// the create-only mark: a rerun of the same source (or two racing runs)
// finds the record and writes nothing, decided in the commit that would
// create it.

// PartOriginal is an imported record's file, as it was imported.
const PartOriginal = "original"

// EventImported is an imported record's first event (a sealed one's is
// EventArchived).
const EventImported = "imported" // 导入

// DirectionImported is an imported record's Direction: neither 发文 nor 收文.
const DirectionImported = "imported"

// Provenance is where an imported record came from.
type Provenance struct {
	// Source names the file or the row: "旧档案/2019/a.pdf",
	// "old.csv 第 12 行".
	Source string `json:"source"`
	// Key identifies the source across runs (a digest of the file, or
	// of the row's description).
	Key string `json:"key"`
}

// ImportInput is one old record to take in.
type ImportInput struct {
	Key    string // required: the same key imports once
	Source string // required: the provenance shown with the record
	Title  string
	// DocNumber (文号), Issuer (发文机关), WrittenOn (成文日期,
	// 2006-01-02) and DocType (文种) are optional.
	DocNumber string
	Issuer    string
	WrittenOn string
	DocType   string
	// Year is the 年度 when WrittenOn is empty (an old folder's year);
	// 0 and no WrittenOn: the year imported.
	Year           int
	Classification classification.Level
	Retention      string
	// Department is the record's (archive.read there lets one read it);
	// "" takes the importer's first department.
	Department string
	// FileName and Content are the original file.
	FileName string
	Content  []byte
}

// ImportedID is the record id of a source key.
func ImportedID(key string) string {
	h := sha256.Sum256([]byte(key))
	return "imp-" + hex.EncodeToString(h[:16])
}

// MayImport reports whether p may import records: an archivist
// (archive.manage office-wide). A 系统管理员 may not: the three officers
// stay apart from the records they administer.
func MayImport(p *auth.Principal) bool {
	return p != nil && p.Can(auth.PermArchiveManage, auth.OfficeWide)
}

// CheckImport refuses what ImportRecord would refuse, writing nothing
// (the dry run; no audit entry either): the account may not import, or a
// field is wrong, each wrong field named.
func (s *Service) CheckImport(p *auth.Principal, in ImportInput) error {
	if !MayImport(p) {
		return problem.Forbidden()
	}
	var bad []problem.FieldError
	field := func(name, zh, en string) { bad = append(bad, problem.Field(name, zh, en)) }
	limit := func(name, v string, n int, zh string) {
		if utf8.RuneCountInString(v) > n || strings.ContainsFunc(v, isControl) {
			field(name, zh+"过长或含控制字符", name+" is too long or holds control characters")
		}
	}
	if strings.TrimSpace(in.Title) == "" {
		field("title", "标题为必填字段", "title is required")
	}
	limit("title", in.Title, 200, "标题")
	limit("docNumber", in.DocNumber, 64, "文号")
	limit("issuer", in.Issuer, 100, "发文机关")
	limit("docType", in.DocType, 10, "文种")
	if in.Year != 0 && (in.Year < 1949 || in.Year > 9999) {
		field("year", "年度应在 1949 年以后", "year must be 1949 or later")
	}
	if in.WrittenOn != "" {
		if _, err := time.Parse(time.DateOnly, in.WrittenOn); err != nil {
			field("date", "成文日期“"+in.WrittenOn+"”不是日期，格式如 2019-03-08", "date "+in.WrittenOn+" is not a date such as 2019-03-08")
		}
	}
	switch {
	case !in.Classification.Valid():
		field("classification", "密级“"+string(in.Classification)+"”不存在，只能是"+strings.Join(classification.Names(classification.All), "、"),
			"classification "+string(in.Classification)+" is not one of 非密, 秘密, 机密, 绝密")
	case !p.MayRead(in.Classification):
		field("classification", "导入账号的涉密等级低于该档案的密级", "the importing account is not cleared for this classification")
	}
	if !slices.Contains(Retentions, in.Retention) {
		field("retention", "保管期限“"+in.Retention+"”无效，只能是永久、定期30年或定期10年",
			"retention "+in.Retention+" must be 永久, 定期30年 or 定期10年")
	}
	if in.FileName == "" || len(in.Content) == 0 {
		field("file", "文件为空或缺失", "the file is missing or empty")
	}
	if in.Key == "" || in.Source == "" {
		field("source", "导入来源缺失", "the source is missing")
	}
	if len(bad) > 0 {
		return problem.Invalid(bad...)
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// ImportedRecord returns the record a source key made (found false if
// none), with no access check: the import's rerun check, whose caller
// tells only an account that may import (MayImport).
func (s *Service) ImportedRecord(ctx context.Context, key string) (Record, bool, error) {
	r, _, err := store.Load[Record](ctx, s.store, Collection, ImportedID(key))
	if errors.Is(err, store.ErrNotFound) {
		return Record{}, false, nil
	}
	return r, err == nil, err
}

// ImportRecord takes an old record into the archive (see above): the
// file is stored first, then the record with the next 件号 of its 年度
// and retention, its audit entry (archive.import) in the same commit.
// created is false when the key was imported before: that record is the
// answer, unchanged. A refusal is audited.
func (s *Service) ImportRecord(ctx context.Context, a records.Actor, in ImportInput) (r Record, created bool, err error) {
	id := ImportedID(in.Key)
	if err := s.CheckImport(a.P, in); err != nil {
		return Record{}, false, s.recs.Refused(ctx, a, "archive.import", Collection+"/"+id, err)
	}
	if old, found, err := s.ImportedRecord(ctx, in.Key); err != nil || found {
		return old, false, err
	}
	media, err := s.files.Put(ctx, a, in.FileName, in.Content)
	if err != nil {
		return Record{}, false, err
	}
	now := s.now()
	year := cmp.Or(in.Year, now.In(s.zone).Year())
	if w, err := time.ParseInLocation(time.DateOnly, in.WrittenOn, s.zone); err == nil {
		year = w.Year()
	}
	dept := in.Department
	if dept == "" && len(a.P.Departments) > 0 {
		dept = a.P.Departments[0]
	}
	r = Record{ID: id, Fonds: s.fonds, Year: year, Retention: in.Retention, Document: "", Direction: DirectionImported,
		DocType: in.DocType, Title: strings.TrimSpace(in.Title), DocNumber: in.DocNumber, Issuer: in.Issuer, WrittenOn: in.WrittenOn,
		Classification: in.Classification, Department: dept, Readers: []string{},
		Parts:        []Part{{Kind: PartOriginal, Name: in.FileName, Media: media, Size: int64(len(in.Content)), SHA256: sum(in.Content)}},
		ImportedFrom: &Provenance{Source: in.Source, Key: in.Key}, ArchivedAt: now, ArchivedBy: a.P.UserID, ArchivedName: a.P.Name,
		Status: StatusValid, Fixity: FixityUnchecked, ExpiresOn: expiry(year, in.Retention)}
	_, err = audit.UpdateAll(ctx, s.trail, func(ctx context.Context, b *store.Batch) ([]audit.Event, error) {
		var old Record
		if found, err := b.Load(ctx, Collection, r.ID, &old); err != nil || found {
			return nil, cmp.Or(err, errArchived)
		}
		n, err := b.Next(ctx, sequenceName(s.fonds, year, in.Retention))
		if err != nil {
			return nil, err
		}
		r.ItemNo = int(n)
		r.ArchiveNo = archiveNo(s.fonds, year, in.Retention, n)
		r.ContentSHA256 = contentDigest(&r)
		r.Events = []Event{{Kind: EventImported, At: now, By: a.P.UserID, ByName: a.P.Name, Retention: in.Retention, Reason: in.Source}}
		if err := b.Save(Collection, r.ID, r); err != nil {
			return nil, err
		}
		b.Add(attachment.Writes(Collection, r.ID, r.files()...)...)
		return []audit.Event{{Actor: a.P.UserID, ActorIP: a.IP, Action: "archive.import", Target: Collection + "/" + r.ID,
			Outcome: audit.Success, Details: map[string]any{"archiveNo": r.ArchiveNo, "retention": in.Retention, "source": in.Source,
				"key": in.Key, "classification": string(r.Classification), "sha256": r.Parts[0].SHA256, "contentSha256": r.ContentSHA256}}}, nil
	})
	if errors.Is(err, errArchived) || errors.Is(err, store.ErrConflict) {
		// A racing run of the same source got there first.
		old, found, gerr := s.ImportedRecord(ctx, in.Key)
		if gerr == nil && !found {
			gerr = err
		}
		return old, false, gerr
	}
	if err != nil {
		return Record{}, false, err
	}
	s.Notify()
	return r, true, nil
}
