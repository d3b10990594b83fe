package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/seal"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/config"
	"zhengwu/shared/kek"
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

// passwordAndRuntime reads an admin command's password (readPassword),
// then opens the runtime the command works on; the caller closes it.
func passwordAndRuntime(ctx context.Context, cfg config.Config, stdin io.Reader, stderr io.Writer, env func(string) string) (string, *runtime, error) {
	password, err := readPassword(stdin, env)
	if err != nil {
		return "", nil, err
	}
	rt, err := openRuntime(ctx, cfg, stderr)
	return password, rt, err
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
	password, rt, err := passwordAndRuntime(ctx, cfg, stdin, stderr, env)
	if err != nil {
		return err
	}
	defer rt.Close()
	sys := identity.Actor{IP: "cli"}
	u, err := rt.identity().CreateUser(ctx, sys, identity.NewUser{Username: username, DisplayName: username, Password: password})
	if err != nil {
		return explain(err)
	}
	if _, err := rt.identity().GrantRole(ctx, sys, u.ID, role, ""); err != nil {
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
	password, rt, err := passwordAndRuntime(ctx, cfg, stdin, stderr, env)
	if err != nil {
		return err
	}
	defer rt.Close()
	u, _, err := rt.identity().UserByUsername(ctx, pos[0])
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no user %q", pos[0])
	} else if err != nil {
		return err
	}
	if err := rt.identity().SetPassword(ctx, identity.Actor{IP: "cli"}, u.ID, password); err != nil {
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

// adminRotateKeys makes a new token signing key current (the previous ones
// keep verifying for auth.KeyRetention); with --rotate-master-key it also
// encrypts every signing key again under a new master key, read from
// --new-key-file or made there if the file does not exist. The store
// flags and the current master key (--key-file, ZHENGWU_MASTER_KEY or the
// default) are the serve ones. Procedure: docs/adr/0005.
func adminRotateKeys(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) string) error {
	var rotateMaster bool
	var newKeyFile string
	var rest []string
	for i := 0; i < len(args); i++ {
		name, value, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		switch {
		case !strings.HasPrefix(args[i], "-"):
			rest = append(rest, args[i])
		case name == "rotate-master-key" && !hasValue:
			rotateMaster = true
		case name == "new-key-file" && hasValue:
			newKeyFile = value
		case name == "new-key-file" && i+1 < len(args):
			newKeyFile = args[i+1]
			i++
		default:
			rest = append(rest, args[i])
		}
	}
	if rotateMaster != (newKeyFile != "") {
		return errors.New("usage: zhengwu admin rotate-keys [--rotate-master-key --new-key-file PATH] [serve flags]")
	}
	cfg, pos, err := adminArgs(rest, env, stderr)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("unexpected arguments: %v", pos)
	}
	var next kek.Key
	if rotateMaster {
		// Read (or make) the new master key before anything changes.
		if next, err = kek.ReadFile(newKeyFile); errors.Is(err, fs.ErrNotExist) {
			next, err = kek.Create(newKeyFile)
		}
		if err != nil {
			return fmt.Errorf("new master key: %w", err)
		}
	}
	rt, err := openRuntime(ctx, cfg, stderr) // opens the keys: the current master key is right
	if err != nil {
		return err
	}
	defer rt.Close()
	if rotateMaster && next.Equal(rt.master) {
		return fmt.Errorf("%s holds the master key in use (%s): give a new one", newKeyFile, next.ID())
	}
	kid, err := auth.RotateKeys(ctx, rt.store, rt.master, time.Now())
	if err != nil {
		return err
	}
	details := map[string]any{"kid": kid, "masterKey": rt.master.ID()}
	fmt.Fprintf(stdout, "new signing key %s: running servers sign with it within %s; the previous keys verify for %s more\n",
		kid, auth.KeyRefreshInterval.String(), auth.KeyRetention.String())
	if rotateMaster {
		n, err := auth.Reseal(ctx, rt.store, rt.master, next)
		if err != nil {
			return err
		}
		sealKeys, err := seal.Reseal(ctx, rt.store, rt.master, next) // the seal's private keys too
		if err != nil {
			return err
		}
		details["sealKeys"] = sealKeys
		details["masterKey"], details["previousMasterKey"] = next.ID(), rt.master.ID()
		fmt.Fprintf(stdout, "%d signing keys encrypted again under master key %s, kept in %s\n"+
			"start every server with --key-file=%s (or ZHENGWU_KEY_FILE); until a server restarts it keeps the keys it has loaded\n",
			n, next.ID(), newKeyFile, newKeyFile)
	}
	_, err = rt.trail.Record(ctx, audit.Event{Actor: "system", ActorIP: "cli", Action: "auth.keys.rotate", Target: kid,
		Outcome: audit.Success, Details: details})
	return err
}
