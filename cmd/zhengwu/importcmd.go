package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"zhengwu/cms/bulkimport"
	"zhengwu/shared/auth"
	"zhengwu/shared/config"
)

const importUsage = `usage: zhengwu import --from PATH --as USERNAME [--into portal] [--channel C] [--department D]
                      [--dry-run] [--report FILE.json|FILE.csv] [--data DIR | --mongodb-uri URI]
       zhengwu import --into archive --from PATH --as USERNAME [--classification 密级] [--retention 保管期限]
                      [--department D] [--dry-run] [--report FILE.json|FILE.csv] [--data DIR | --mongodb-uri URI]
PATH is a folder of DOCX, PDF, HTML and TXT files (read recursively) or a CSV/JSON export of an old CMS
(archive columns: 标题 文号 发文机关 成文日期 密级 保管期限 文件, or title docNumber issuer date
classification retention file).
See docs/operations.md, 批量导入.`

// importOptions are the import's own flags; the rest are the
// deployment's (config.Parse).
type importOptions struct {
	from, into, channel, department, as, report string
	// classification and retention are an archive import's defaults.
	classification, retention string
	dryRun                    bool
}

func parseImportFlags(args []string) (importOptions, []string, error) {
	o := importOptions{into: "portal"}
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		var dst *string
		switch name {
		case "from":
			dst = &o.from
		case "into":
			dst = &o.into
		case "channel":
			dst = &o.channel
		case "department":
			dst = &o.department
		case "as":
			dst = &o.as
		case "report":
			dst = &o.report
		case "classification":
			dst = &o.classification
		case "retention":
			dst = &o.retention
		case "dry-run":
			o.dryRun = !hasValue || value == "true"
			continue
		default:
			rest = append(rest, a)
			continue
		}
		if !strings.HasPrefix(a, "-") {
			rest = append(rest, a)
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return o, nil, fmt.Errorf("--%s needs a value\n%s", name, importUsage)
			}
			i++
			value = args[i]
		}
		*dst = value
	}
	switch {
	case o.from == "" || o.as == "":
		return o, nil, errors.New(importUsage)
	case o.into != "portal" && o.into != "archive":
		return o, nil, fmt.Errorf("--into %q: want portal or archive", o.into)
	case o.into == "portal" && (o.classification != "" || o.retention != ""):
		return o, nil, errors.New("--classification and --retention are the archive's: use them with --into archive")
	case o.into == "archive" && o.channel != "":
		return o, nil, errors.New("--channel is the portal's: an archive import has none")
	case o.report != "" && !strings.HasSuffix(o.report, ".json") && !strings.HasSuffix(o.report, ".csv"):
		return o, nil, fmt.Errorf("--report %q: a .json or a .csv file", o.report)
	}
	return o, rest, nil
}

// importCommand runs `zhengwu import`: it writes through the store, so it
// works beside a running server (whose feed consumers poll the store and
// pick the new documents up within a second) as well as on a stopped one.
func importCommand(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) string) error {
	o, rest, err := parseImportFlags(args)
	if err != nil {
		return err
	}
	cfg, err := config.Parse(rest, env, stderr)
	if err != nil {
		return err
	}
	if o.into == "archive" {
		return importArchiveCommand(ctx, o, cfg, stderr)
	}
	entries, err := readImport(o.from, stderr)
	if err != nil {
		return err
	}
	rt, as, err := openRuntimeAs(ctx, cfg, stderr, o.as)
	if err != nil {
		return err
	}
	defer rt.Close()
	svc, err := bulkimport.Open(ctx, bulkimport.Deps{Store: rt.store, Trail: rt.trail, DataDir: cfg.Data,
		MediaDir: cfg.MediaDir, UploadLimit: int64(cfg.UploadLimit), Logger: rt.log, DryRun: o.dryRun})
	if err != nil {
		return err
	}
	defer svc.Close()
	im := &bulkimport.Importer{Portal: svc.Portal, Media: svc.Media, Channels: svc.Channels, As: as,
		Channel: o.channel, Department: o.department, DryRun: o.dryRun, Progress: stderr}
	rep, runErr := im.Run(ctx, entries)
	return finishImport(o, rep, runErr, stderr)
}

// finishImport writes the report and the summary; refusals make the
// exit code 1.
func finishImport(o importOptions, rep bulkimport.Report, runErr error, stderr io.Writer) error {
	if o.report != "" {
		if err := writeImportReport(o.report, rep); err != nil {
			return errors.Join(runErr, err)
		}
	}
	fmt.Fprint(stderr, rep.Summary())
	if runErr != nil {
		return runErr
	}
	if rep.Refused > 0 {
		return fmt.Errorf("%d 项被拒绝（%d items refused）", rep.Refused, rep.Refused)
	}
	return nil
}

// importArchiveCommand is `zhengwu import --into archive` (importarchive.go).
func importArchiveCommand(ctx context.Context, o importOptions, cfg config.Config, stderr io.Writer) error {
	entries, err := readArchiveImport(o.from, archiveDefaults{classification: o.classification, retention: o.retention}, stderr)
	if err != nil {
		return err
	}
	if o.department != "" {
		for i := range entries {
			entries[i].in.Department = firstOf(entries[i].in.Department, o.department)
		}
	}
	rt, as, err := openRuntimeAs(ctx, cfg, stderr, o.as)
	if err != nil {
		return err
	}
	defer rt.Close()
	svc, closeIntake, err := openArchiveIntake(rt, int64(cfg.UploadLimit))
	if err != nil {
		return err
	}
	defer closeIntake()
	im := &archiveImporter{archive: svc, as: as, dryRun: o.dryRun, progress: stderr}
	rep, runErr := im.run(ctx, entries)
	return finishImport(o, rep, runErr, stderr)
}

// readImport reads a folder or an export; the columns an export has that
// nothing reads are named, so that a misnamed column is noticed.
func readImport(from string, stderr io.Writer) ([]bulkimport.Entry, error) {
	st, err := os.Stat(from)
	if err != nil {
		return nil, fmt.Errorf("--from: %w", err)
	}
	if st.IsDir() {
		return bulkimport.ReadFolder(from)
	}
	entries, ignored, err := bulkimport.ReadExport(from)
	if len(ignored) > 0 {
		fmt.Fprintf(stderr, "未识别的列（已忽略）：%s\n", strings.Join(ignored, "、"))
	}
	return entries, err
}

func writeImportReport(path string, rep bulkimport.Report) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if strings.HasSuffix(path, ".csv") {
		err = rep.WriteCSV(f)
	} else {
		err = rep.WriteJSON(f)
	}
	return errors.Join(err, f.Close())
}

// openRuntimeAs opens the runtime for an import made in the name of the
// account username (--as); the caller closes the runtime.
func openRuntimeAs(ctx context.Context, cfg config.Config, stderr io.Writer, username string) (*runtime, *auth.Principal, error) {
	rt, err := openRuntime(ctx, cfg, stderr)
	if err != nil {
		return nil, nil, err
	}
	as, err := rt.identity().PrincipalByUsername(ctx, username)
	if err != nil {
		rt.Close()
		return nil, nil, fmt.Errorf("--as %s: %w", username, err)
	}
	return rt, as, nil
}
