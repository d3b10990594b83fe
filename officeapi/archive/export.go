package archive

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// The export package (移交给档案管理系统), a ZIP:
//
//	manifest-sha256.txt          "<sha256>  <path>" per file below (sha256sum -c reads it)
//	<档号>/metadata.json         the record's description (Metadata), JSON
//	<档号>/<part name>           each part, as archived
//
// The metadata is JSON, its fields named after DA/T 46-2009 《文书类电子
// 文件元数据方案》's (档号, 全宗号, 年度, 保管期限, 件号, 题名, 文号, 责任者,
// 日期, 密级, 保密期限, 文种…), each with the English key beside it.

// ManifestName is the checksum manifest's path in the ZIP.
const ManifestName = "manifest-sha256.txt"

// ExportInput names the records exported.
type ExportInput struct {
	IDs []string `json:"ids" validate:"required,min=1,max=200,dive,required,max=64,nocontrol" doc:"档案 id"`
}

// Metadata is a record's metadata file in an export.
type Metadata struct {
	ArchiveNo      string    `json:"档号"`
	Fonds          string    `json:"全宗号"`
	Year           int       `json:"年度"`
	Retention      string    `json:"保管期限"`
	ItemNo         int       `json:"件号"`
	Title          string    `json:"题名"`
	DocNumber      string    `json:"文号,omitempty"`
	Issuer         string    `json:"责任者,omitempty"`
	WrittenOn      string    `json:"日期,omitempty"`
	DocType        string    `json:"文种"`
	Classification string    `json:"密级"`
	SecrecyPeriod  string    `json:"保密期限,omitempty"`
	Department     string    `json:"机构或问题"`
	Direction      string    `json:"收发文"`
	Status         string    `json:"状态"`
	ArchivedAt     time.Time `json:"归档时间"`
	ArchivedBy     string    `json:"归档人"`
	ContentSHA256  string    `json:"内容摘要SHA256"`
	Parts          []Part    `json:"文件组成"`
	Events         []Event   `json:"处置记录"`
}

var statusNames = map[string]string{StatusValid: "有效", StatusRevoked: "已撤销", StatusAbolished: "已废止"}

// directionNames are the 收发文 of a package's metadata, in the words a
// catalogue uses; an unknown value is written as it is.
var directionNames = map[string]string{officialdoc.Outgoing: "发文", officialdoc.Incoming: "收文", DirectionImported: "导入"}

func directionName(d string) string { return cmp.Or(directionNames[d], d) }

// Export builds the export package of the records named, for an archivist
// (archive.manage office-wide): each read with the access check (one the
// caller may not read is a 404 for all), each part read again and checked
// against its SHA-256 (a part that fails refuses the export: a package
// must never carry a changed file under its original checksum). The
// export is audited.
func (s *Service) Export(ctx context.Context, a records.Actor, in ExportInput) ([]byte, error) {
	ids := slices.Compact(slices.Sorted(slices.Values(in.IDs)))
	if !a.P.Can(auth.PermArchiveManage, auth.OfficeWide) {
		return nil, s.recs.Refused(ctx, a, "archive.export", Collection, problem.Forbidden())
	}
	recs := make([]Record, 0, len(ids))
	for _, id := range ids {
		r, _, err := s.recs.Get(ctx, a.P, id)
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	var manifest strings.Builder
	add := func(path string, data []byte) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: path, Method: zip.Deflate, Modified: s.now()})
		if err != nil {
			return err
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
		fmt.Fprintf(&manifest, "%s  %s\n", sum(data), path)
		return nil
	}
	numbers := make([]string, 0, len(recs))
	for _, r := range recs {
		numbers = append(numbers, r.ArchiveNo)
		meta, err := json.MarshalIndent(Metadata{ArchiveNo: r.ArchiveNo, Fonds: r.Fonds, Year: r.Year, Retention: r.Retention,
			ItemNo: r.ItemNo, Title: r.Title, DocNumber: r.DocNumber, Issuer: r.Issuer, WrittenOn: r.WrittenOn, DocType: r.DocType,
			Classification: string(r.Classification), SecrecyPeriod: r.SecrecyPeriod, Department: r.Department, Direction: directionName(r.Direction),
			Status: statusNames[r.Status], ArchivedAt: r.ArchivedAt, ArchivedBy: r.ArchivedName, ContentSHA256: r.ContentSHA256,
			Parts: r.Parts, Events: r.Events}, "", "  ")
		if err != nil {
			return nil, err
		}
		if err := add(r.ArchiveNo+"/metadata.json", meta); err != nil {
			return nil, err
		}
		for _, p := range r.Parts {
			_, data, err := s.files.Get(ctx, p.Media)
			if err != nil || sum(data) != p.SHA256 {
				return nil, s.recs.Refused(ctx, a, "archive.export", Collection+"/"+r.ID, problem.InvalidState(
					"档案 "+r.ArchiveNo+" 的文件“"+p.Name+"”与归档时的校验值不符，请先做完整性检查",
					"a part of "+r.ArchiveNo+" no longer matches its checksum: run the fixity check"))
			}
			if err := add(r.ArchiveNo+"/"+p.Name, data); err != nil {
				return nil, err
			}
		}
	}
	w, err := zw.Create(ManifestName)
	if err == nil {
		_, err = w.Write([]byte(manifest.String()))
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		return nil, err
	}
	if _, err := s.trail.Record(ctx, audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: "archive.export", Target: Collection,
		Outcome: audit.Success, Details: map[string]any{"ids": ids, "archiveNos": numbers, "bytes": buf.Len(), "manifestSha256": sum([]byte(manifest.String()))}}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
