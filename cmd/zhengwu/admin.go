package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"zhengwu/officeapi/identity"
	"zhengwu/shared/config"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// adminArgs splits `[serve flags] POSITIONAL...`: the store flags are the
// serve flags (--data, --mongodb-uri, ...), so the CLI opens the same
// database the server uses.
func adminArgs(args []string, env func(string) string, stderr io.Writer) (config.Config, []string, error) {
	var flags, positional []string
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			flags = append(flags, a)
		} else {
			positional = append(positional, a)
		}
	}
	cfg, err := config.Parse(flags, env, stderr)
	return cfg, positional, err
}

// readPassword takes the password from ZHENGWU_ADMIN_PASSWORD or the first
// line of stdin, never from the command line (where `ps` would show it).
func readPassword(stdin io.Reader, env func(string) string) (string, error) {
	if p := env("ZHENGWU_ADMIN_PASSWORD"); p != "" {
		return p, nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	if line = strings.TrimRight(line, "\r\n"); line == "" {
		return "", errors.New("give the password on stdin or in ZHENGWU_ADMIN_PASSWORD")
	}
	return line, nil
}

// adminCreate bootstraps an account holding one of the three officers'
// roles: the first system administrator, security administrator and
// auditor of a deployment are made here, on the server itself. The
// account belongs to no department and must change the password at the
// first login.
func adminCreate(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env func(string) string) error {
	cfg, pos, err := adminArgs(args, env, stderr)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return errors.New("usage: zhengwu admin create USERNAME sysadmin|secadmin|auditor (password on stdin)")
	}
	username, role := pos[0], pos[1]
	if r, ok := identity.RoleByKey(role); !ok || !r.Officer {
		return fmt.Errorf("role %q: want sysadmin, secadmin or auditor", role)
	}
	password, err := readPassword(stdin, env)
	if err != nil {
		return err
	}
	rt, err := openRuntime(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer rt.Close()
	sys := identity.Actor{IP: "cli"}
	u, err := rt.office.Identity.CreateUser(ctx, sys, identity.NewUser{Username: username, DisplayName: username, Password: password})
	if err != nil {
		return explain(err)
	}
	if _, err := rt.office.Identity.GrantRole(ctx, sys, u.ID, role, ""); err != nil {
		return explain(err)
	}
	fmt.Fprintf(stdout, "created %s (%s) with role %s\n", username, u.ID, role)
	return nil
}

// adminResetPassword is the break-glass reset: with shell access on the
// server, any account's password (an officer's too, without a second
// officer) can be set; the audit trail records it as a break-glass reset,
// and the user must change the password at the next login.
func adminResetPassword(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env func(string) string) error {
	cfg, pos, err := adminArgs(args, env, stderr)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("usage: zhengwu admin reset-password USERNAME (new password on stdin)")
	}
	password, err := readPassword(stdin, env)
	if err != nil {
		return err
	}
	rt, err := openRuntime(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer rt.Close()
	u, _, err := rt.office.Identity.UserByUsername(ctx, pos[0])
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no user %q", pos[0])
	} else if err != nil {
		return err
	}
	if err := rt.office.Identity.SetPassword(ctx, identity.Actor{IP: "cli"}, u.ID, password); err != nil {
		return explain(err)
	}
	fmt.Fprintf(stdout, "password of %s reset; the account is unlocked and must change the password at the next login (audited as a break-glass reset)\n", pos[0])
	return nil
}

func auditVerify(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) string) int {
	cfg, err := config.Parse(args, env, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "zhengwu:", err)
		return 2
	}
	rt, err := openRuntime(ctx, cfg, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "zhengwu:", err)
		return 1
	}
	defer rt.Close()
	r, err := rt.trail.Verify(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "zhengwu:", err)
		return 1
	}
	if !r.OK {
		fmt.Fprintf(stdout, "audit trail BROKEN at entry %d of %d checked: %s\n", r.BrokenAt, r.Entries, r.Problem)
		return 1
	}
	fmt.Fprintf(stdout, "audit trail intact: %d entries\n", r.Entries)
	return 0
}

func explain(err error) error {
	if p := problem.As(err); p != nil {
		msg := p.Zh + " / " + p.En
		for _, f := range p.Fields {
			msg += fmt.Sprintf("\n  %s: %s", f.Field, f.Message)
		}
		return errors.New(msg)
	}
	return err
}
