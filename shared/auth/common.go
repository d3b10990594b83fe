package auth

import (
	_ "embed"
	"strings"
	"unicode"
)

// commonPasswordList is the list CommonPassword checks against: the most
// used passwords, keyboard runs, English words and names, and pinyin
// names and phrases common in China (about 2,800 entries, one a line).
//
//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords holds the list's entries in their normalised forms.
var commonPasswords = func() map[string]bool {
	set := map[string]bool{}
	for _, line := range strings.Split(commonPasswordList, "\n") {
		w := strings.TrimSpace(line)
		if w == "" || strings.HasPrefix(w, "#") {
			continue
		}
		for _, v := range variants(w) {
			set[v] = true
		}
	}
	return set
}()

// CommonPassword reports whether password is a common one: one of the
// list's entries once lower-cased, with the usual letter substitutions
// undone (P@ssw0rd) and the digits and symbols people add at either end
// stripped (Password1, Admin123!, 123Qwerty). Only the whole normalised
// password is compared, so a passphrase that merely contains a word
// passes.
func CommonPassword(password string) bool {
	for _, v := range variants(password) {
		if commonPasswords[v] {
			return true
		}
	}
	return false
}

// leet undoes the substitutions of letters by digits and symbols; 1
// stands for i or l, so it is tried both ways.
var (
	leetI = strings.NewReplacer("@", "a", "4", "a", "8", "b", "3", "e", "6", "g", "9", "g", "1", "i", "!", "i",
		"0", "o", "$", "s", "5", "s", "7", "t", "+", "t", "2", "z")
	leetL = strings.NewReplacer("@", "a", "4", "a", "8", "b", "3", "e", "6", "g", "9", "g", "1", "l", "!", "i",
		"0", "o", "$", "s", "5", "s", "7", "t", "+", "t", "2", "z")
)

// variants are the forms a password is compared in: lower-cased; with the
// non-letters at both ends stripped; and each of those with the
// substitutions undone (the ends stripped first, so that the digits
// someone appends are not read as letters).
func variants(s string) []string {
	lower := strings.ToLower(s)
	trimmed := strings.TrimFunc(lower, notLetter)
	tail := strings.TrimRightFunc(lower, notLetter)
	out := []string{lower, trimmed, tail}
	for _, v := range []string{lower, trimmed, tail} {
		out = append(out, leetI.Replace(v), leetL.Replace(v))
	}
	return out
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) }
