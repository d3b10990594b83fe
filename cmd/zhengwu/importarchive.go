package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"zhengwu/cms/bulkimport"
	"zhengwu/cms/media"
	"zhengwu/officeapi/archive"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
)

// `zhengwu import --into archive`: old records into the archive's intake
// (archive.ImportRecord), read by the portal import's readers (a folder
// of files, or a CSV/JSON export), with the same dry run, progress and
// report. The glue lives here because the readers are cms's and the
// archive is officeapi's, and neither module may import the other.

// archiveColumns are an export's columns for the archive's fields,
// Chinese or English (case and spaces ignored).
var archiveColumns = map[string][]string{
	"title":          {"标题", "题名", "title"},
	"docNumber":      {"文号", "发文字号", "docnumber", "doc_number"},
	"issuer":         {"发文机关", "责任者", "issuer"},
	"date":           {"成文日期", "日期", "date", "writtenon"},
	"classification": {"密级", "classification"},
	"retention":      {"保管期限", "retention"},
	"file":           {"文件", "原件", "file"},
	"docType":        {"文种", "doctype"},
	"department":     {"部门", "处室", "department"},
	"year":           {"年度", "year"},
}

func isArchiveColumn(col string) bool {
	n := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(col), " ", ""))
	for _, names := range archiveColumns {
		if slices.Contains(names, n) {
			return true
		}
	}
	return false
}

// retentionNames are what old systems write for the archive's periods.
var retentionNames = map[string]string{"永久": archive.Permanent, "y": archive.Permanent, "permanent": archive.Permanent,
	"定期30年": archive.Term30, "30年": archive.Term30, "长期": archive.Term30, "d30": archive.Term30,
	"定期10年": archive.Term10, "10年": archive.Term10, "短期": archive.Term10, "d10": archive.Term10}

// archiveEntry is one old record to import, as read.
type archiveEntry struct {
	in       archive.ImportInput // without Content: read when imported
	path     string              // the original file
	refusals []problem.FieldError
}

func (e *archiveEntry) refuse(field, zh, en string) {
	e.refusals = append(e.refusals, problem.Field(field, zh, en))
}

// archiveDefaults are the run's --classification and --retention: what a
// folder's files, and rows leaving the cell blank, get.
type archiveDefaults struct {
	classification string
	retention      string
}

// readArchiveImport reads a folder (one record per file, titled after it)
// or an export (one record per row, its 文件 relative to the export).
func readArchiveImport(from string, d archiveDefaults, stderr io.Writer) ([]archiveEntry, error) {
	st, err := os.Stat(from)
	if err != nil {
		return nil, fmt.Errorf("--from: %w", err)
	}
	var out []archiveEntry
	if st.IsDir() {
		files, err := bulkimport.FolderFiles(from)
		for _, f := range files {
			e := archiveEntry{in: archive.ImportInput{Source: f.Rel, FileName: filepath.Base(f.Path)}, path: f.Path}
			data, err := os.ReadFile(f.Path)
			switch ext := strings.ToLower(filepath.Ext(f.Path)); {
			case ext == ".html" || ext == ".htm":
				// The media store keeps no pages (served back, one would run
				// its scripts): an archive keeps the original, so none is made.
				e.refuse("file", "网页文件不能作为档案原件保存，请先转为 PDF", "a web page cannot be kept as a record's original; convert it to PDF first")
			case !bulkimport.Supported(f.Path):
				e.refuse("file", "不支持的文件类型（仅 DOCX、PDF、TXT）", "unsupported file type (DOCX, PDF and TXT only)")
			case err != nil:
				e.refuse("file", "文件无法读取", "the file cannot be read")
			}
			digest := sha256.Sum256(data)
			e.in.Key = bulkimport.KeyOf("archive-file", hex.EncodeToString(digest[:]))
			e.in.Year = folderYear(f.Rel)
			if err == nil {
				e.in.Title = bulkimport.TitleOf(f.Path, data)
			}
			e.describe("", "", d)
			out = append(out, e)
		}
		return out, err
	}
	rows, err := bulkimport.ReadRows(from)
	if err != nil {
		return nil, err
	}
	if ignored := bulkimport.Unknown(rows, isArchiveColumn); len(ignored) > 0 {
		fmt.Fprintf(stderr, "未识别的列（已忽略）：%s\n", strings.Join(ignored, "、"))
	}
	for _, row := range rows {
		col := func(field string) string { return row.Cell(archiveColumns[field]...) }
		e := archiveEntry{in: archive.ImportInput{Source: row.Origin, Title: col("title"), DocNumber: col("docNumber"),
			Issuer: col("issuer"), DocType: col("docType"), Department: col("department")}}
		date, ok := bulkimport.DayOf(col("date"))
		if !ok {
			e.refuse("date", "成文日期“"+col("date")+"”不是日期，格式如 2019-03-08", "date "+col("date")+" is not a date such as 2019-03-08")
		}
		e.in.WrittenOn = date
		if y := col("year"); y != "" {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(y, "年度"), "年"))
			if err != nil {
				e.refuse("year", "年度“"+y+"”不是年份", "year "+y+" is not a year")
			}
			e.in.Year = n
		}
		var digest string
		switch name := col("file"); {
		case name == "":
			e.refuse("file", "文件为必填字段（“文件”列）", "file is required (a file column)")
		default:
			p, inside := bulkimport.Within(row.Dir, name)
			if !inside {
				e.refuse("file", "文件路径“"+name+"”超出导出文件所在目录", "file path "+name+" leaves the export's folder")
				break
			}
			e.path, e.in.FileName = p, filepath.Base(p)
			digest, _ = e.file(p)
		}
		e.in.Key = bulkimport.KeyOf("archive-row", e.in.Title, e.in.DocNumber, date, digest)
		e.describe(col("classification"), col("retention"), d)
		out = append(out, e)
	}
	return out, nil
}

var yearDir = regexp.MustCompile(`^((?:19|20)\d\d)(?:年|年度)?$`)

// folderYear is the 年度 an old archive's folders give a file (the
// innermost folder named 2012, 2012年 or 2012年度), or 0.
func folderYear(rel string) int {
	dirs := strings.Split(rel, "/")
	for i := len(dirs) - 2; i >= 0; i-- {
		if m := yearDir.FindStringSubmatch(dirs[i]); m != nil {
			y, _ := strconv.Atoi(m[1])
			return y
		}
	}
	return 0
}

// file digests the original, refusing one that cannot be read.
func (e *archiveEntry) file(path string) (string, bool) {
	f, err := os.Open(path)
	if err == nil {
		defer f.Close()
		h := sha256.New()
		if _, err = io.Copy(h, f); err == nil {
			return hex.EncodeToString(h.Sum(nil)), true
		}
	}
	e.refuse("file", "文件“"+filepath.Base(path)+"”无法读取", "the file "+filepath.Base(path)+" cannot be read")
	return "", false
}

// describe sets the 密级 and the retention, the run's defaults where the
// source gives none: the retention the 文种's default. A 密级 is never
// assumed: an old record whose level nobody stated might be classified,
// and taking it in as 非密 would show it to every reader of its
// department, so a record with none (no cell, no --classification) is
// refused.
func (e *archiveEntry) describe(level, retention string, d archiveDefaults) {
	e.in.Classification = classification.Level(firstOf(level, d.classification))
	if e.in.Classification == "" {
		e.refuse("classification", "未标明密级：请在目录中填写密级，或用 --classification 指定本批文件的密级",
			"no classification given: fill in the column, or give --classification for the run")
	}
	if e.in.DocType == "" {
		e.in.DocType = bulkimport.GenreOf(e.in.Title)
	}
	retention = firstOf(retention, d.retention)
	if retention == "" {
		e.in.Retention = archive.DefaultRetention(e.in.DocType)
		return
	}
	// An unknown name stays as written: the intake names it.
	e.in.Retention = retention
	if r, ok := retentionNames[strings.ToLower(strings.ReplaceAll(retention, " ", ""))]; ok {
		e.in.Retention = r
	}
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// archiveImporter imports entries as one account.
type archiveImporter struct {
	archive  *archive.Service
	as       *auth.Principal
	dryRun   bool
	progress io.Writer
}

// run checks and imports every entry, each on its own (as the portal's
// bulkimport.Importer.Run): the error is the store's, refusals are in the
// report.
func (im *archiveImporter) run(ctx context.Context, entries []archiveEntry) (bulkimport.Report, error) {
	rep := bulkimport.Report{DryRun: im.dryRun, Into: "archive"}
	for i, e := range entries {
		if err := ctx.Err(); err != nil {
			return rep, fmt.Errorf("导入已中断（interrupted after %d of %d items）: %w", i, len(entries), err)
		}
		res, err := im.one(ctx, e)
		if err != nil {
			return rep, fmt.Errorf("%s: %w", e.in.Source, err)
		}
		rep.Add(res)
		if im.progress != nil {
			fmt.Fprintf(im.progress, "[%d/%d] %s：%s\n", i+1, len(entries), e.in.Source, res.Describe())
		}
	}
	return rep, nil
}

func (im *archiveImporter) one(ctx context.Context, e archiveEntry) (bulkimport.Result, error) {
	res := bulkimport.Result{Origin: e.in.Source, Key: e.in.Key}
	refused := func(err error) (bulkimport.Result, error) {
		pe := problem.As(err)
		if pe == nil || pe.Status >= 500 {
			return res, err
		}
		res.Outcome, res.Reasons = bulkimport.OutcomeRefused, pe.Fields
		if len(pe.Fields) == 0 { // the media store's refusals (type, size) are the file's
			res.Reasons = []problem.FieldError{problem.Field("file", pe.Zh, pe.En)}
		}
		if pe.Status == 403 {
			res.Reasons = []problem.FieldError{problem.Field("as", "导入账号无权导入档案（需要档案员的档案管理权限）",
				"the importing account may not import into the archive (archive.manage)")}
		}
		return res, nil
	}
	if len(e.refusals) > 0 {
		res.Outcome, res.Reasons = bulkimport.OutcomeRefused, e.refusals
		return res, nil
	}
	// An account that may not import learns nothing of what is there.
	old, found, err := im.archive.ImportedRecord(ctx, e.in.Key)
	if err != nil {
		return res, err
	}
	if found && archive.MayImport(im.as) {
		res.Outcome, res.DocID, res.ArchiveNo = bulkimport.OutcomeExisting, old.ID, old.ArchiveNo
		return res, nil
	}
	in := e.in
	if in.Content, err = os.ReadFile(e.path); err != nil {
		res.Outcome, res.Reasons = bulkimport.OutcomeRefused, []problem.FieldError{problem.Field("file", "文件无法读取", "the file cannot be read")}
		return res, nil
	}
	if im.dryRun {
		if err := im.archive.CheckImport(im.as, in); err != nil {
			return refused(err)
		}
		res.Outcome = bulkimport.OutcomeValid
		return res, nil
	}
	r, created, err := im.archive.ImportRecord(ctx, records.Actor{P: im.as, IP: "cli"}, in)
	if err != nil {
		return refused(err)
	}
	res.Outcome, res.DocID, res.ArchiveNo = bulkimport.OutcomeImported, r.ID, r.ArchiveNo
	if !created {
		res.Outcome = bulkimport.OutcomeExisting
	}
	return res, nil
}

// openArchiveIntake builds the archive's intake on the runtime's store:
// the media store for the originals and the archive with its list index
// in a scratch folder (a running server's own index follows the writes
// through the store's feed). close removes the scratch folder.
func openArchiveIntake(rt *runtime, uploadLimit int64) (svc *archive.Service, close func() error, err error) {
	tmp := filepath.Join(rt.cfg.Data, "tmp")
	if err := os.MkdirAll(tmp, 0o750); err != nil {
		return nil, nil, err
	}
	scratch, err := os.MkdirTemp(tmp, "import-archive-")
	if err != nil {
		return nil, nil, err
	}
	var blobs media.Blobs
	if rt.cfg.MediaDir != "" {
		if blobs, err = media.NewDiskBlobs(rt.cfg.MediaDir); err != nil {
			os.RemoveAll(scratch)
			return nil, nil, err
		}
	}
	md := media.New(media.Deps{Store: rt.store, Blobs: blobs, Trail: rt.trail, Now: time.Now, MaxSize: uploadLimit, TempDir: scratch})
	svc, err = archive.New(archive.Deps{Deps: records.Deps{Store: rt.store, Trail: rt.trail, Now: time.Now, Log: rt.log,
		IndexDir: filepath.Join(scratch, "index")}, Files: archiveFiles{md}})
	if err != nil {
		os.RemoveAll(scratch)
		return nil, nil, err
	}
	return svc, func() error {
		err := svc.Close()
		if rmErr := os.RemoveAll(scratch); err == nil {
			err = rmErr
		}
		return err
	}, nil
}
