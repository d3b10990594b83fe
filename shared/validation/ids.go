package validation

import (
	"regexp"

	"github.com/go-playground/validator/v10"
)

// The ids the office's data uses. Department and post ids are chosen by
// the system administrator ("xinxi", "mishu1-chuzhang"): lower-case
// letters, digits, - and _, starting with a letter or digit, at most 64;
// so no NUL byte, no path (../../etc), no upper-case twin of another id.
// User, grant and officer-change ids are made by the server: 32 lower-case
// hex digits (128 random bits).
var (
	orgIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
	hexIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

// OrgIDPattern is the rule for department and post ids, for API
// descriptions.
const OrgIDPattern = `^[a-z0-9][a-z0-9_-]{0,63}$`

// HexIDPattern is the rule for server-made ids, for API descriptions.
const HexIDPattern = `^[0-9a-f]{32}$`

// OrgID reports whether s is a well-formed department or post id.
func OrgID(s string) bool { return orgIDPattern.MatchString(s) }

// HexID reports whether s is a well-formed server-made id (users, grants).
func HexID(s string) bool { return hexIDPattern.MatchString(s) }

// registerIDs adds the orgid and hexid tags.
func registerIDs(c *checker) {
	v := c.v
	_ = v.RegisterValidation("orgid", func(fl validator.FieldLevel) bool { return OrgID(fl.Field().String()) })
	_ = v.RegisterValidation("hexid", func(fl validator.FieldLevel) bool { return HexID(fl.Field().String()) })
	register(c, "orgid", "{0}只能由小写字母、数字、-和_组成（以字母或数字开头，至多 64 个字符）",
		"{0} must be lower-case letters, digits, - and _ (starting with a letter or digit, at most 64)")
	register(c, "hexid", "{0}不是有效的编号（32 位十六进制）", "{0} is not a valid id (32 hex digits)")
}
