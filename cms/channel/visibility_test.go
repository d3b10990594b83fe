package channel_test

import (
	"errors"
	"testing"

	"zhengwu/cms/channel"
)

// One rule for every reader of the tree (delivery, search, downloads):
// public only through known, public channels up to the root.
func TestVisibilityFailsClosed(t *testing.T) {
	chans := map[string]channel.Channel{
		"root":   {Key: "root", Visibility: channel.Public},
		"open":   {Key: "open", Parent: "root", Visibility: channel.Public},
		"closed": {Key: "closed", Parent: "root", Visibility: channel.Internal},
		"under":  {Key: "under", Parent: "closed", Visibility: channel.Public},
		"orphan": {Key: "orphan", Parent: "gone", Visibility: channel.Public},
		"blank":  {Key: "blank"},
		"loopA":  {Key: "loopA", Parent: "loopB", Visibility: channel.Public},
		"loopB":  {Key: "loopB", Parent: "loopA", Visibility: channel.Public},
		"broken": {Key: "broken", Parent: "unreadable", Visibility: channel.Public},
	}
	lookup := func(k string) (channel.Channel, bool, error) {
		if k == "unreadable" {
			return channel.Channel{}, false, errors.New("store down")
		}
		c, ok := chans[k]
		return c, ok, nil
	}
	for key, want := range map[string]string{"root": channel.Public, "open": channel.Public,
		"closed": channel.Internal, "under": channel.Internal, "orphan": channel.Internal, "blank": channel.Internal,
		"loopA": channel.Internal, "broken": channel.Internal, "nope": channel.Internal} {
		if got := channel.VisibilityOf(key, lookup); got != want {
			t.Errorf("%s: %s, want %s", key, got, want)
		}
	}
	for _, c := range []struct{ item, ch, want string }{
		{channel.Public, "open", channel.Public}, {channel.Internal, "open", channel.Internal},
		{"", "open", channel.Internal}, {"PUBLIC", "open", channel.Internal}, {channel.Public, "under", channel.Internal},
	} {
		if got := channel.ItemVisibility(c.item, c.ch, lookup); got != c.want {
			t.Errorf("item %q in %s: %s, want %s", c.item, c.ch, got, c.want)
		}
	}
}
