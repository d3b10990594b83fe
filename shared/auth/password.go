package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's recommended floor (19 MiB, t=2, p=1), which
// keeps a login under ~30 ms on the 2-core servers we target.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// CheckPassword compares password with a PHC argon2id hash in constant time.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when a username does not exist, so that a
// login for an unknown user takes as long as one with a wrong password.
var dummyHash, _ = HashPassword("zhengwu-timing-equaliser")

// CheckNoUser spends the time of one password check and returns false.
func CheckNoUser(password string) bool {
	CheckPassword(dummyHash, password)
	return false
}

// PasswordPolicyError explains why a password is refused.
type PasswordPolicyError struct{ Zh, En string }

func (e *PasswordPolicyError) Error() string { return e.En }

// CheckPasswordPolicy enforces the MLPS level-3 rule we apply: 8 to 128
// characters of valid UTF-8 with no control characters (a NUL byte or an
// escape sequence in a password breaks the tools that handle it, and no
// keyboard types one), at least 3 of 4 classes (upper, lower, digit,
// symbol), not containing the username, and not a common password
// (CommonPassword). Reuse and expiry need the account's history and are
// checked by the identity service.
func CheckPasswordPolicy(password, username string) error {
	n := utf8.RuneCountInString(password)
	if n < 8 || n > 128 || !utf8.ValidString(password) {
		return &PasswordPolicyError{"密码长度须为 8 到 128 个字符", "password must be 8 to 128 characters"}
	}
	if strings.ContainsFunc(password, unicode.IsControl) {
		return &PasswordPolicyError{"密码不能包含控制字符", "password must not contain control characters"}
	}
	var upper, lower, digit, symbol int
	for _, r := range password {
		switch {
		case unicode.IsUpper(r):
			upper = 1
		case unicode.IsLower(r):
			lower = 1
		case unicode.IsDigit(r):
			digit = 1
		default:
			symbol = 1
		}
	}
	if upper+lower+digit+symbol < 3 {
		return &PasswordPolicyError{"密码须包含大写字母、小写字母、数字、符号中的至少三类",
			"password must contain at least 3 of: upper case, lower case, digits, symbols"}
	}
	if username != "" && strings.Contains(strings.ToLower(password), strings.ToLower(username)) {
		return &PasswordPolicyError{"密码不能包含用户名", "password must not contain the username"}
	}
	if CommonPassword(password) {
		return &PasswordPolicyError{"密码过于常见，容易被猜中，请换一个（不要用常见单词、姓名或键盘序列加数字符号）",
			"password is too common: avoid common words, names and keyboard runs with digits or symbols added"}
	}
	return nil
}

// PasswordReused reports whether password matches one of hashes (the
// account's current and previous passwords).
func PasswordReused(password string, hashes ...string) bool {
	for _, h := range hashes {
		if h != "" && CheckPassword(h, password) {
			return true
		}
	}
	return false
}
