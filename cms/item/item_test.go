package item_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"zhengwu/cms/channel"
	"zhengwu/cms/item"
)

// The enumerations the API description gives (jsonschema tags) are the
// constants the code uses.
func TestSchemaEnumsAreTheConstants(t *testing.T) {
	typ := reflect.TypeOf(item.Item{})
	enum := func(field string) []string {
		f, _ := typ.FieldByName(field)
		var out []string
		for _, part := range strings.Split(f.Tag.Get("jsonschema"), ",") {
			if v, ok := strings.CutPrefix(part, "enum="); ok {
				out = append(out, v)
			}
		}
		return out
	}
	for field, want := range map[string][]string{
		"Type":       {channel.TypeArticle, channel.TypePolicy, channel.TypeSpeech, channel.TypeActivity, channel.TypeReport},
		"Visibility": {channel.Public, channel.Internal},
		"Status":     {item.StatusPublished, item.StatusWithdrawn, item.StatusRedirected, item.StatusGone},
	} {
		if got := enum(field); !slices.Equal(got, want) {
			t.Errorf("%s: the description says %v, the code %v", field, got, want)
		}
	}
}
