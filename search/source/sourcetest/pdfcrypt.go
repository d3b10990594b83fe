package sourcetest

import (
	"crypto/md5"
	"crypto/rc4"
	"encoding/binary"
	"fmt"
	"zhengwu/shared/testkit"
)

// EncryptedTextPDF is a one-page PDF showing one line of Latin text (as
// testkit.TextPDF), encrypted with the standard security handler,
// revision 3 (RC4, 128-bit key), as Acrobat's "restrict editing and
// printing" writes it: owner is the password that lifts the restrictions,
// user the one needed to open the file ("": anyone opens it). Written
// here, by the algorithms of ISO 32000-1 §7.6.3 (2–5), because no PDF
// writer among the project's dependencies encrypts, and qpdf is not
// installed where the tests run.
func EncryptedTextPDF(text, owner, user string) []byte {
	const perms = int32(-3904) // no printing, no changes, no copying
	id := md5.Sum([]byte("zhengwu-test-" + text))
	o := ownerKey(owner, user)
	key := fileKey(user, o, perms, id[:])
	u := userKey(key, id[:])

	contents := []byte("BT /F1 12 Tf 72 712 Td (" + text + ") Tj ET")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		stream(rc4Of(objectKey(key, 5, 0), contents)),
		fmt.Sprintf("<< /Filter /Standard /V 2 /R 3 /Length 128 /O <%x> /U <%x> /P %d >>", o, u, perms),
	}
	return testkit.PDFWithTrailer(fmt.Sprintf("/Encrypt 6 0 R /ID [<%x> <%x>]", id, id), objs...)
}

func stream(data []byte) string {
	return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(data), data)
}

// pad is the standard security handler's password padding.
var pad = []byte{0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
	0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A}

func padded(pw string) []byte { return append([]byte(pw), pad...)[:32] }

// md5x51 is MD5 once and then 50 times more over the 16-byte key
// (revision 3).
func md5x51(data []byte) []byte {
	sum := md5.Sum(data)
	for range 50 {
		sum = md5.Sum(sum[:])
	}
	return sum[:]
}

func rc4Of(key, data []byte) []byte {
	c, err := rc4.NewCipher(key)
	if err != nil {
		panic(err)
	}
	out := make([]byte, len(data))
	c.XORKeyStream(out, data)
	return out
}

// rc4x20 is RC4 with key, then 19 more passes with key XOR 1…19.
func rc4x20(key, data []byte) []byte {
	out := rc4Of(key, data)
	k := make([]byte, len(key))
	for i := byte(1); i <= 19; i++ {
		for j := range key {
			k[j] = key[j] ^ i
		}
		out = rc4Of(k, out)
	}
	return out
}

// ownerKey is the O entry (algorithm 3).
func ownerKey(owner, user string) []byte {
	if owner == "" {
		owner = user
	}
	return rc4x20(md5x51(padded(owner)), padded(user))
}

// fileKey is the file's encryption key (algorithm 2).
func fileKey(user string, o []byte, perms int32, id []byte) []byte {
	var in []byte
	in = append(in, padded(user)...)
	in = append(in, o...)
	in = binary.LittleEndian.AppendUint32(in, uint32(perms))
	in = append(in, id...)
	return md5x51(in)
}

// userKey is the U entry (algorithm 5): 16 bytes and 16 of padding.
func userKey(key, id []byte) []byte {
	sum := md5.Sum(append(append([]byte{}, pad...), id...))
	return append(rc4x20(key, sum[:]), make([]byte, 16)...)
}

// objectKey is the key of object num's strings and streams (algorithm 1).
func objectKey(key []byte, num, gen int) []byte {
	in := append([]byte{}, key...)
	in = append(in, byte(num), byte(num>>8), byte(num>>16), byte(gen), byte(gen>>8))
	sum := md5.Sum(in)
	return sum[:min(len(key)+5, 16)]
}
