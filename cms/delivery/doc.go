// Package delivery is the portal's public reads (政务信息网 delivery): the
// channel tree, lists of published items and single items by id or by
// path. Package deliveryhttp serves them under /api/portal/v1.
//
// Item detail is one store read by id (plus batch reads of the items it
// links to). A feed consumer keeps a Bleve index of the portal_items
// collection up to date (by-path look-ups and reverse links read it), and
// mirrors every batch it applies into a memory view of the lists
// (listview.go): each item's list fields in the four sorts, per channel
// and its ancestors, so that any list — a page, filter or sort no cache
// has seen — is a walk of a sorted slice, never a store scan or a Bleve
// sort.
//
// Internal items and channels are answered 404 to an anonymous reader
// (not 403), and left out of lists and totals, so that their existence
// does not leak. An item's answer carries its validators (ETag,
// Last-Modified) and how long a shared cache may keep it: until the
// item's next scheduled change.
//
// Rendered items and list pages (their JSON bytes), totals and reverse
// links are kept in memory until the next change to any portal item (see
// cache.go): a hit costs a map look-up, so the delivery API's speed does
// not depend on the store or on Bleve for the pages readers actually ask
// for.
package delivery
