package sourcetest

import (
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"
)

// MIMEXLSX is the MIME type of an XLSX file.
const MIMEXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Sheet is one worksheet of XLSX: its name and its rows of cells.
type Sheet struct {
	Name string
	Rows [][]any
}

// XLSX is a workbook written by excelize with the given sheets (the
// first replaces the default "Sheet1").
func XLSX(t testing.TB, sheets ...Sheet) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.Rows {
			cell, err := excelize.CoordinatesToCellName(1, r+1)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetSheetRow(s.Name, cell, &row); err != nil {
				t.Fatal(fmt.Errorf("sheet %s row %d: %w", s.Name, r+1, err))
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
