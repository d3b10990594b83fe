package bulkimport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"zhengwu/cms/channel"
	"zhengwu/cms/content"
	"zhengwu/cms/item"
	"zhengwu/cms/media"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// Portal is the content service's part an import calls.
type Portal interface {
	BulkImportedDocID(ctx context.Context, key string) (string, error)
	CheckBulk(ctx context.Context, p *auth.Principal, in *content.BulkInput) error
	BulkImport(ctx context.Context, p *auth.Principal, in content.BulkInput) (content.View, bool, error)
}

// Media stores the files kept as attachments (cms/media: content
// addressed, so a rerun stores nothing twice).
type Media interface {
	Add(ctx context.Context, up media.Upload) (media.Record, bool, error)
}

// Importer imports entries as one account.
type Importer struct {
	Portal   Portal
	Media    Media
	Channels *channel.Tree
	// As is the importing account: its rights decide what it may import
	// and whether the items are published or drafts (content.BulkPublishes).
	As *auth.Principal
	// Channel and Department are the defaults of entries that name none.
	Channel    string
	Department string
	// DryRun checks everything and writes nothing.
	DryRun bool
	// Progress receives a line per entry (nil: none).
	Progress io.Writer
}

// bodyLimits bound the text read from one file into a body (the body
// holds 2 MB of markup).
var bodyLimits = source.Limits{MaxText: 1 << 20}

// Run checks and imports every entry, each on its own. The error is a
// failure of the store (the run stopped there); refusals are in the
// report, not errors.
func (im *Importer) Run(ctx context.Context, entries []Entry) (Report, error) {
	rep := Report{DryRun: im.DryRun, Publishes: content.BulkPublishes(im.As)}
	for i, e := range entries {
		if err := ctx.Err(); err != nil {
			// Interrupted: what was imported stays; a rerun goes on.
			return rep, fmt.Errorf("导入已中断（interrupted after %d of %d items）: %w", i, len(entries), err)
		}
		res, err := im.one(ctx, e)
		if err != nil {
			return rep, fmt.Errorf("%s: %w", e.Origin, err)
		}
		rep.add(res)
		if im.Progress != nil {
			fmt.Fprintf(im.Progress, "[%d/%d] %s：%s\n", i+1, len(entries), e.Origin, res.describe())
		}
	}
	return rep, nil
}

// refused turns a problem into a result; anything else is returned.
func refused(res Result, err error) (Result, error) {
	pe := problem.As(err)
	if pe == nil || pe.Status >= 500 {
		return res, err
	}
	res.Outcome = OutcomeRefused
	res.Reasons = pe.Fields
	if len(res.Reasons) == 0 {
		f := problem.Field("", pe.Zh, pe.En)
		if pe.Status == 403 {
			// The importing account's rights (portal edit in the
			// department and the channel).
			f = problem.Field("as", "导入账号无权在该部门或栏目编辑门户信息（"+pe.Zh+"）",
				"the importing account may not edit portal content in this department or channel ("+pe.En+")")
		}
		res.Reasons = []problem.FieldError{f}
	}
	return res, nil
}

func (im *Importer) one(ctx context.Context, e Entry) (Result, error) {
	res := Result{Origin: e.Origin, Key: e.Key}
	if len(e.Refusals) > 0 {
		res.Outcome, res.Reasons = OutcomeRefused, e.Refusals
		return res, nil
	}
	in := content.BulkInput{Key: e.Key, Type: e.Type, Fields: e.Fields, Origin: e.Origin, PublishedAt: e.PublishedAt}
	var ok bool
	if in.Channel, in.Department, ok = im.place(e, &res); !ok {
		return res, nil
	}
	id, err := im.Portal.BulkImportedDocID(ctx, e.Key)
	if err != nil {
		return res, err
	}
	if id != "" {
		res.Outcome, res.DocID = OutcomeExisting, id
		return res, nil
	}
	if e.BodyFile != "" {
		text, reason := im.fileText(ctx, e.BodyFile)
		if reason != nil {
			res.Outcome, res.Reasons = OutcomeRefused, []problem.FieldError{*reason}
			return res, nil
		}
		in.Fields.Body = paragraphs(text)
	}
	// Everything but the files first: a refused entry stores no file.
	check := in
	if err := im.Portal.CheckBulk(ctx, im.As, &check); err != nil {
		return refused(res, err)
	}
	if im.DryRun {
		if reason := readable(e.Files); reason != nil {
			res.Outcome, res.Reasons = OutcomeRefused, []problem.FieldError{*reason}
			return res, nil
		}
		res.Outcome = OutcomeValid
		return res, nil
	}
	for i, path := range e.Files {
		a, err := im.attach(ctx, path)
		if err != nil {
			r, err := refused(res, err)
			for j := range r.Reasons {
				r.Reasons[j].Field = fmt.Sprintf("fields.attachments[%d]", i)
			}
			return r, err
		}
		in.Fields.Attachments = append(in.Fields.Attachments, a)
	}
	v, created, err := im.Portal.BulkImport(ctx, im.As, in)
	if err != nil {
		return refused(res, err)
	}
	res.DocID, res.State = v.ID, v.Document.State
	res.Outcome = OutcomeImported
	if !created {
		res.Outcome = OutcomeExisting // a concurrent run got there first
	}
	return res, nil
}

// place resolves the entry's channel (a key or a name) and department.
func (im *Importer) place(e Entry, res *Result) (ch, dept string, ok bool) {
	refuse := func(field, zh, en string) (string, string, bool) {
		res.Outcome, res.Reasons = OutcomeRefused, []problem.FieldError{problem.Field(field, zh, en)}
		return "", "", false
	}
	name := e.Channel
	if name == "" {
		name = im.Channel
	}
	if name == "" {
		return refuse("channel", "栏目为必填字段（导出中的“栏目”列或 --channel）", "channel is required (a channel column or --channel)")
	}
	c, found := im.Channels.Get(name)
	if !found {
		named := channelsNamed(im.Channels.Roots(true), name)
		if len(named) > 1 {
			return refuse("channel", "栏目名称“"+name+"”不唯一，请填写栏目代码", "channel name "+name+" is ambiguous; give the channel's key")
		}
		if found = len(named) == 1; found {
			c = named[0]
		}
	}
	if !found {
		return refuse("channel", "栏目“"+name+"”不存在", "no such channel: "+name)
	}
	dept = e.Department
	if dept == "" {
		dept = im.Department
	}
	if dept == "" && c.Department != "" && c.Department != channel.OfficeWide {
		dept = c.Department
	}
	if dept == "" && im.As != nil && len(im.As.Departments) == 1 {
		dept = im.As.Departments[0]
	}
	if dept == "" {
		return refuse("department", "部门为必填字段（导出中的“部门”列或 --department）", "department is required (a department column or --department)")
	}
	return c.Key, dept, true
}

// channelsNamed finds the channels of a Chinese name, as old sites
// export them (several leaders have a 讲话 channel).
func channelsNamed(nodes []*channel.Node, name string) []channel.Channel {
	var out []channel.Channel
	for _, n := range nodes {
		if n.Name == name {
			out = append(out, n.Channel)
		}
		out = append(out, channelsNamed(n.Children, name)...)
	}
	return out
}

// fileText reads a file's text with search's readers; the reason names
// why it could not.
func (im *Importer) fileText(ctx context.Context, path string) (string, *problem.FieldError) {
	why := func(zh, en string) (string, *problem.FieldError) {
		f := problem.Field("file", zh, en)
		return "", &f
	}
	f, err := os.Open(path)
	if err != nil {
		return why("文件无法读取", "the file cannot be read")
	}
	defer f.Close()
	text, err := source.Extract(ctx, source.KindOf("", filepath.Base(path)), f, bodyLimits)
	switch {
	case errors.Is(err, source.ErrPassword):
		return why("文件需要密码才能打开", "the file needs a password to open")
	case errors.Is(err, source.ErrTooLarge):
		return why("文件过大，无法读出文字", "the file is too large to read")
	case errors.Is(err, source.ErrOverBudget):
		return why("读取文件超出时间或内存限制", "reading the file went over its time or memory budget")
	case ctx.Err() != nil:
		return why("导入已中断", "the import was interrupted")
	case err != nil:
		return why("文件无法读出文字（已损坏或格式不符）", "no text could be read from the file (damaged or not what its name says)")
	case strings.TrimSpace(text) == "":
		return why("文件中没有可读的文字（可能是扫描件）", "the file holds no text (a scan?)")
	}
	return text, nil
}

// readable checks, in a dry run, that every file to attach can be read.
func readable(files []string) *problem.FieldError {
	for i, path := range files {
		f, err := os.Open(path)
		if err == nil {
			f.Close()
			continue
		}
		r := problem.Field(fmt.Sprintf("fields.attachments[%d]", i), "附件文件无法读取", "the attachment cannot be read")
		return &r
	}
	return nil
}

// attach stores a file in the media store as the importing account's.
func (im *Importer) attach(ctx context.Context, path string) (item.Attachment, error) {
	f, err := os.Open(path)
	if err != nil {
		return item.Attachment{}, problem.Invalid(problem.Field("file", "附件文件无法读取", "the attachment cannot be read"))
	}
	defer f.Close()
	rec, _, err := im.Media.Add(ctx, media.Upload{Name: filepath.Base(path), Content: f, Actor: im.As.UserID, ActorIP: "cli"})
	if err != nil {
		return item.Attachment{}, err
	}
	return item.Attachment{MediaID: rec.ID, Name: rec.Name, Size: rec.Size, Type: rec.Type}, nil
}
