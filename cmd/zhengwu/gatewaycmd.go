package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"zhengwu/cms/channel"
	"zhengwu/gateway"
	"zhengwu/shared/audit"
	"zhengwu/shared/config"
)

// gatewayCommand runs `zhengwu gateway status` and `zhengwu gateway resync
// --since N` against the deployment's store; a running gateway picks up a
// resync by itself.
func gatewayCommand(ctx context.Context, sub string, args []string, stdout, stderr io.Writer, env func(string) string) error {
	since := int64(-1)
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--since" || a == "-since":
			if i+1 >= len(args) {
				return errors.New("--since needs a feed sequence number")
			}
			a, i = "--since="+args[i+1], i+1
			fallthrough
		case strings.HasPrefix(a, "--since=") || strings.HasPrefix(a, "-since="):
			_, v, _ := strings.Cut(a, "=")
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return fmt.Errorf("--since %q: want a non-negative feed sequence number", v)
			}
			since = n
		default:
			rest = append(rest, a)
		}
	}
	cfg, err := config.Parse(rest, env, stderr)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	defer st.Close()
	tree, err := channel.Load(ctx, st)
	if err != nil {
		return err
	}
	gw, err := gateway.New(gateway.Deps{Office: st, Trail: audit.New(st, nil), Channels: tree})
	if err != nil {
		return err
	}
	switch sub {
	case "status":
		s, err := gw.Status(ctx)
		if err != nil {
			return err
		}
		fmt.Fprint(stdout, gateway.StatusText(s))
		return nil
	case "resync":
		if since < 0 {
			return errors.New("usage: zhengwu gateway resync --since N")
		}
		if err := gw.Resync(ctx, since); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "gateway will re-examine every change after sequence %d\n", since)
		return nil
	}
	return fmt.Errorf("unknown gateway command %q (want status or resync)", sub)
}
