// Package gateway is the one-way data gateway from the office store to
// the portal: it consumes the office change feed and moves items the
// departments designated for the portal, under the release policy. It
// arrives with the department-platform issue; today it is an empty target.
package gateway
