package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"zhengwu/officeapi/seal"
)

// sealVerify checks a sealed PDF against the seal keys in the store (the
// public halves, retired keys included): who sealed it, for which unit,
// when, with which key, and whether a byte changed since. It opens the
// store only (no master key: nothing secret is read). Exit 0: valid; 1:
// not valid, or no seal; 2: usage.
func sealVerify(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) string) int {
	cfg, pos, err := adminArgs(args, env, stderr)
	if err != nil || len(pos) != 1 {
		fmt.Fprintln(stderr, "usage: zhengwu seal verify [flags] FILE.pdf")
		return 2
	}
	pdf, err := os.ReadFile(pos[0])
	if err != nil {
		fmt.Fprintln(stderr, "zhengwu:", err)
		return 1
	}
	st, err := openStore(ctx, cfg, newLogger(cfg, stderr))
	if err != nil {
		fmt.Fprintln(stderr, "zhengwu:", err)
		return 1
	}
	defer st.Close()
	keys, err := seal.LoadKeyring(ctx, st)
	if err != nil {
		fmt.Fprintln(stderr, "zhengwu:", err)
		return 1
	}
	r, err := seal.Verify(pdf, keys)
	if err != nil {
		fmt.Fprintln(stderr, "zhengwu:", explain(err))
		return 1
	}
	verdict := "有效 valid"
	if !r.Valid {
		verdict = "无效 NOT VALID"
	}
	intact := "未被改动 intact"
	if !r.Intact {
		intact = "已被改动或无法验证 changed or unverifiable"
	}
	fmt.Fprintf(stdout, "%s: %s\n", pos[0], verdict)
	fmt.Fprintf(stdout, "  文件 file:        %s\n", intact)
	fmt.Fprintf(stdout, "  盖章单位 unit:    %s (%s)\n", r.UnitName, r.Unit)
	fmt.Fprintf(stdout, "  盖章人 signer:    %s (%s)\n", r.SignerName, r.Signer)
	fmt.Fprintf(stdout, "  时间 signed at:   %s\n", r.SignedAt.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04:05 CST"))
	fmt.Fprintf(stdout, "  密钥 key:         %s (%s)\n", r.KeyID, r.KeyState)
	if r.Document != "" {
		fmt.Fprintf(stdout, "  公文 document:    %s\n", r.Document)
	}
	if len(r.Problems) > 0 {
		fmt.Fprintf(stdout, "  问题 problems:    %s\n", strings.Join(r.Problems, "；"))
	}
	if !r.Valid {
		return 1
	}
	return 0
}
