package analysis_test

import (
	"slices"
	"testing"

	"zhengwu/search/analysis"
)

func TestDocNumberPrefixesOfANumber(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][]string{
		"皖政办〔2026〕12号": {"皖政办", "皖政办2026"},
		"国办发[2025]3号":  {"国办发", "国办发2025"},
		"国务院令第664号":    {"国务院令"},
		"关于政务公开的通知":    nil,
	} {
		if got := analysis.DocNumberPrefixes(in); !slices.Equal(got, want) {
			t.Errorf("DocNumberPrefixes(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDocNumberPrefixInEveryBracketForm(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"皖政办":       "皖政办",
		" 皖政办 ":     "皖政办",
		"皖政办〔2026〕": "皖政办2026",
		"皖政办[2026]": "皖政办2026",
		"皖政办［2026］": "皖政办2026",
		"皖政办(2026)": "皖政办2026",
		"皖政办（2026）": "皖政办2026",
		"皖政办【2026】": "皖政办2026",
		"皖政办 2026":  "皖政办2026",
		"皖政办2026":   "皖政办2026",
		"皖政办〔2026":  "皖政办2026",
		"皖政办〔":      "皖政办",
		"皖政":        "皖政", // shaped like a code; the index decides
		"國務院令":      "国务院令",
	} {
		if got, ok := analysis.DocNumberPrefix(in); !ok || got != want {
			t.Errorf("DocNumberPrefix(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"皖", "皖政办〔2026〕12号", "皖政办 通知", "关于进一步加强和改进新形势下森林草原防火工作的通知", "皖政办〔26〕", "2026"} {
		if got, ok := analysis.DocNumberPrefix(in); ok {
			t.Errorf("DocNumberPrefix(%q) = %q, want not a prefix", in, got)
		}
	}
}
