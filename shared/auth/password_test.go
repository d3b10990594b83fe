package auth

import (
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
		{"Abcdef12", "u", true},
		{"abcdef1!", "u", true},
		{"政务系统Ab12", "u", true},  // Chinese counts as a symbol class
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
