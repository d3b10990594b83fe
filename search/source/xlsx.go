package source

// XLSX text is read through excelize (github.com/xuri/excelize/v2, the
// maintained Go spreadsheet library, already used by officeapi's
// exports): the cell text of every sheet, row by row, cells separated by
// tabs. Formulas give their cached values, as a reader sees them.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// oleHeader starts a Compound File: an XLSX in one is encrypted for
// opening (Office's "Encrypt with Password").
var oleHeader = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// errXLSXMemory: the workbook's parts decompress to more than the budget.
var errXLSXMemory = errors.New("xlsx: the workbook's parts are larger than the budget")

// xlsxText writes the text of every sheet's cells to out. budget bounds
// the decompressed size of the workbook's parts (excelize keeps them in
// memory: with UnzipXMLSizeLimit equal to it, nothing spills to temporary
// files).
func xlsxText(ctx context.Context, data []byte, out *textBuf, budget int64) error {
	if bytes.HasPrefix(data, oleHeader) {
		return fmt.Errorf("xlsx: %w", ErrPassword)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: budget, UnzipXMLSizeLimit: budget})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size exceeds") {
			return errXLSXMemory
		}
		return fmt.Errorf("xlsx: %w", err)
	}
	defer f.Close()
	first := true
	for _, sheet := range f.GetSheetList() {
		if err := sheetText(ctx, f, sheet, out, &first); err != nil {
			return err
		}
	}
	return nil
}

func sheetText(ctx context.Context, f *excelize.File, sheet string, out *textBuf, first *bool) error {
	rows, err := f.Rows(sheet)
	if err != nil {
		return fmt.Errorf("xlsx: sheet %s: %w", sheet, err)
	}
	defer rows.Close()
	for n := 0; rows.Next(); n++ {
		if n%256 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		cells, err := rows.Columns()
		if err != nil {
			return fmt.Errorf("xlsx: sheet %s: %w", sheet, err)
		}
		line := rowText(cells)
		if line == "" {
			continue
		}
		if !*first {
			if err := out.WriteString("\n"); err != nil {
				return err
			}
		}
		*first = false
		if err := out.WriteString(line); err != nil {
			return err
		}
	}
	return rows.Error()
}

// rowText is a row's non-empty cells, tab-separated, with the line breaks
// inside a cell turned into spaces (one row, one line).
func rowText(cells []string) string {
	var parts []string
	for _, c := range cells {
		c = strings.TrimSpace(strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace(c))
		if c != "" {
			parts = append(parts, c)
		}
	}
	return strings.Join(parts, "\t")
}
