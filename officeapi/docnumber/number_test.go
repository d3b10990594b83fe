package docnumber_test

import (
	"fmt"
	"testing"

	"zhengwu/officeapi/docnumber"
	"zhengwu/search/analysis"
	"zhengwu/shared/problem"
)

func TestStringIsGBT9704(t *testing.T) {
	for _, c := range []struct {
		n    docnumber.Number
		want string
	}{
		{docnumber.Number{Prefix: "皖政办", Year: 2026, Seq: 12}, "皖政办〔2026〕12号"},
		{docnumber.Number{Prefix: "皖政", Year: 2026, Seq: 1}, "皖政〔2026〕1号"},
		{docnumber.Number{Prefix: "国办发", Year: 2025, Seq: 100}, "国办发〔2025〕100号"},
	} {
		if got := c.n.String(); got != c.want {
			t.Errorf("%+v.String() = %q, want %q", c.n, got, c.want)
		}
	}
}

func TestParseAcceptsWhatPeopleType(t *testing.T) {
	want := docnumber.Number{Prefix: "皖政办", Year: 2026, Seq: 12}
	for _, typed := range []string{
		"皖政办〔2026〕12号",
		"皖政办[2026]12号",
		"皖政办【2026】12号",
		"皖政办（2026）12号",
		"皖政办(2026)12号",
		"皖政办［2026］12号",
		"皖政办〔２０２６〕１２号", // full-width digits
		" 皖政办 〔 2026 〕 12 号 ",
		"皖政办　〔2026〕　12号", // ideographic spaces
		"皖政办〔2026〕第12号",
		"皖政办〔2026〕012号",
		"皖政办〔2026〕12",  // brackets, no 号
		"皖政办2026 12号",  // no brackets
		"皖政辦〔2026〕12號", // traditional characters
	} {
		got, err := docnumber.Parse("docNumber", typed)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", typed, got, err, want)
		}
	}
}

func TestParseRefusesWhatIsNotANumber(t *testing.T) {
	for _, typed := range []string{
		"",
		"   ",
		"关于做好防汛工作的通知",
		"皖政办〔2026〕号",        // no serial
		"皖政办12号",            // no year
		"国务院令第664号",         // an order: no year
		"皖政办〔2026〕0号",       // serial 0
		"皖政办〔2026〕1234567号", // more than six digits
		"皖〔2026〕12号",        // prefix of one character
		"abc〔2026〕12号",      // prefix not Chinese
		"皖政办公厅办公室秘书处文电科〔2026〕12号", // prefix over ten characters
		"皖政办〔1850〕12号",            // year out of range
		"皖政办\x00〔2026〕12号",        // control character
	} {
		n, err := docnumber.Parse("docNumber", typed)
		wantField(t, err, "docNumber")
		if err == nil {
			t.Errorf("Parse(%q) = %+v, want a refusal", typed, n)
		}
	}
}

// Parse and String agree with search's folding: the key a registered
// number is indexed under is the one any spelling of it looks up.
func TestRoundTripAndSearchKey(t *testing.T) {
	for _, n := range []docnumber.Number{
		{Prefix: "皖政办", Year: 2026, Seq: 12},
		{Prefix: "皖政", Year: 1999, Seq: 999999},
		{Prefix: "人社部函", Year: 2030, Seq: 1},
		{Prefix: "安徽省人民政府办公厅", Year: 2026, Seq: 7}, // ten characters
	} {
		got, err := docnumber.Parse("n", n.String())
		if err != nil || got != n {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", n.String(), got, err, n)
		}
		for _, typed := range []string{n.String(), fmt.Sprintf("%s（%d）第%d号", n.Prefix, n.Year, n.Seq)} {
			if k := analysis.DocNumberKey(typed); k != n.Key() {
				t.Errorf("search key of %q = %q, number's Key() = %q", typed, k, n.Key())
			}
		}
	}
}

func TestValidatePrefix(t *testing.T) {
	for prefix, ok := range map[string]bool{
		"皖政办": true, "皖政": true, "安徽省人民政府办公厅": true,
		"皖": false, "": false, "安徽省人民政府办公厅秘": false, "皖政 办": false, "皖政办\n": false,
		"皖政办1": false, "WZB": false, "皖政〔办": false, "皖政\u200b办": false, "\xff\xfe": false,
	} {
		err := docnumber.ValidatePrefix("prefix", prefix)
		if ok && err != nil {
			t.Errorf("ValidatePrefix(%q) = %v, want ok", prefix, err)
		}
		if !ok {
			wantField(t, err, "prefix")
		}
	}
}

// wantField asserts err is a 400 problem naming field, in both languages.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	p := problem.As(err)
	if p == nil || p.Code != problem.CodeInvalid {
		t.Errorf("want an invalid problem naming %s, got %v", field, err)
		return
	}
	for _, f := range p.Fields {
		if f.Field == field && f.Message != "" && f.MessageEn != "" {
			return
		}
	}
	t.Errorf("want field %s with both messages, got %+v", field, p.Fields)
}
