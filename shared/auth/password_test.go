package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("Zhengwu-2026")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash format: %s", h)
	}
	if !CheckPassword(h, "Zhengwu-2026") || CheckPassword(h, "zhengwu-2026") || CheckPassword(h, "") {
		t.Fatal("check")
	}
	h2, _ := HashPassword("Zhengwu-2026")
	if h == h2 {
		t.Fatal("salt not random")
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA"} {
		if CheckPassword(bad, "x") {
			t.Fatalf("malformed hash %q accepted", bad)
		}
	}
}

func TestPasswordPolicy(t *testing.T) {
	cases := []struct {
		pw, user string
		ok       bool
	}{
		{"Xinren-Pass-1", "u", true},
		{"tiao-Shui-7", "kx", true},
		{"政务系统Ab12", "u", true},  // Chinese counts as a symbol class
		{"Abcdef12", "u", false}, // a keyboard run with digits
		{"Abc12!", "u", false},   // too short
		{"abcdefgh", "u", false}, // one class
		{"abcdefg1", "u", false}, // two classes
		{"Staff-2026x", "staff", false},
		{strings.Repeat("Ab1", 50), "u", false}, // too long
	}
	for _, c := range cases {
		if err := CheckPasswordPolicy(c.pw, c.user); (err == nil) != c.ok {
			t.Errorf("policy(%q, %q) = %v, want ok=%v", c.pw, c.user, err, c.ok)
		}
	}
}

// The passwords the trust review got accepted, and their like: common
// ones whatever the case, substitutions and digits or symbols added.
func TestCommonPasswordsAreRefused(t *testing.T) {
	for _, pw := range []string{"Password1", "P@ssw0rd", "Qwerty123", "Admin123!", "PASSWORD123!", "P@ssw0rd2026",
		"1qaz@WSX", "Woaini1314!", "Zhangwei@123", "Welcome2026!", "Iloveyou!1", "123Qwerty!", "Summer2026!",
		"Zhengwu@2026", "Abc12345!", "Passw0rd!", "Zaq12wsx!", "Michael1!"} {
		err := CheckPasswordPolicy(pw, "kexin")
		var pe *PasswordPolicyError
		if err == nil || !errors.As(err, &pe) || !strings.Contains(pe.Zh, "常见") {
			t.Errorf("%q: %v, want refused as common", pw, err)
		}
	}
	// Whole-password comparison: a passphrase containing a word passes.
	for _, pw := range []string{"Password-Lamp-Tiger-7", "Xinxi-Bianji-2026", "Demo-Pass-2026", "Zw-e2e-Demo-2026!"} {
		if err := CheckPasswordPolicy(pw, "kexin"); err != nil {
			t.Errorf("%q refused: %v", pw, err)
		}
	}
	if n := len(commonPasswords); n < 2000 {
		t.Fatalf("common list has %d normalised entries, want a few thousand", n)
	}
}

func TestControlCharactersAreRefused(t *testing.T) {
	for _, pw := range []string{"Abc-defg\x001", "Abc-defg\x1b[1", "Abc-defg\t12", "Abc-defg\u00851", "Abc-defg\x7f1"} {
		err := CheckPasswordPolicy(pw, "kexin")
		var pe *PasswordPolicyError
		if err == nil || !errors.As(err, &pe) || !strings.Contains(pe.Zh, "控制字符") {
			t.Errorf("%q: %v, want refused for a control character", pw, err)
		}
	}
}

func TestPasswordReused(t *testing.T) {
	h1, _ := HashPassword("First-Secret-11")
	h2, _ := HashPassword("Second-Secret-22")
	if !PasswordReused("Second-Secret-22", h1, h2) || PasswordReused("Third-Secret-33", h1, h2, "") {
		t.Fatal("PasswordReused")
	}
}
