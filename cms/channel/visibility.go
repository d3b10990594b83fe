package channel

// Lookup finds a channel by key: found=false when there is none, an error
// when it cannot tell.
type Lookup func(key string) (c Channel, found bool, err error)

// maxDepth bounds a walk up the tree (a stored loop ends it).
const maxDepth = 32

// VisibilityOf is how readers may meet what channel key holds: Public only
// if the channel and every channel above it are known and public.
// Anything else — an internal channel on the way, an unknown one, one
// that cannot be read, a walk that does not end — is Internal: fail
// closed. The delivery API, search and downloads all decide with it.
func VisibilityOf(key string, lookup Lookup) string {
	for i := 0; i < maxDepth; i++ {
		c, found, err := lookup(key)
		if err != nil || !found || c.Visibility != Public {
			return Internal
		}
		if c.Parent == "" {
			return Public
		}
		key = c.Parent
	}
	return Internal
}

// Visibility is VisibilityOf on the loaded tree.
func (t *Tree) Visibility(key string) string {
	return VisibilityOf(key, func(k string) (Channel, bool, error) {
		c, ok := t.Get(k)
		return c, ok, nil
	})
}

// ItemVisibility is an item's visibility as readers meet it: public only
// if the item itself says public and its channel is (VisibilityOf).
func ItemVisibility(itemVisibility, channelKey string, lookup Lookup) string {
	if itemVisibility != Public {
		return Internal
	}
	return VisibilityOf(channelKey, lookup)
}
