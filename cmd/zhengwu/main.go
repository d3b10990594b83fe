// Command zhengwu is Zhengwu's one binary: `zhengwu serve` runs every
// service in one process (or a subset with --target); the other
// sub-commands administer a deployment from its own machine.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `zhengwu — 政务: the government information portal and the office business system

Usage:
  zhengwu serve [flags]                       run the services (see --help for flags)
  zhengwu admin create [flags] USERNAME ROLE  create an account holding an officer role
  zhengwu admin reset-password [flags] USERNAME
  zhengwu admin rotate-keys [--rotate-master-key --new-key-file PATH] [flags]
                                              new token signing key; optionally a new master key
  zhengwu gateway status [flags]              the gateway's checkpoint, lag and counts
  zhengwu gateway resync --since N [flags]    re-examine every office change after feed sequence N
  zhengwu audit verify [flags]                check the audit trail's hash chain
  zhengwu seal verify [flags] FILE.pdf        check a sealed document's electronic seal (电子印章)
  zhengwu search reindex [--scope portal|office] [flags]
                                              rebuild a search index while the server keeps serving
  zhengwu backup --out FILE[.gz] [flags]      a consistent backup of --data while the server runs
  zhengwu backup --mongodb-uri URI --out FILE the same of a MongoDB deployment (same archive format)
  zhengwu restore --in FILE [flags]           restore a backup into an empty --data directory
                                              (or an empty MongoDB database: --mongodb-uri)
  zhengwu migrate --data DIR --to URI         copy an embedded deployment into MongoDB (see --help)
  zhengwu import --from PATH --as USER [--channel C] [--dry-run] [--report FILE] [flags]
                                              import a folder of files or an old CMS's CSV/JSON export into the portal
  zhengwu health [URL]                        exit 0 if the server at URL (default its /readyz on :8080) is ready
  zhengwu openapi DIR                         write the APIs' OpenAPI documents into DIR
  zhengwu version

Every flag has a ZHENGWU_* environment variable; see the README.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run dispatches a sub-command and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch {
	case args[0] == "serve":
		err = serve(ctx, args[1:], stdout, stderr, env)
	case args[0] == "backup":
		err = backupCommand(ctx, args[1:], stdout, stderr, env)
	case args[0] == "restore":
		err = restoreCommand(ctx, args[1:], stdout, stderr, env)
	case args[0] == "import":
		err = importCommand(ctx, args[1:], stdout, stderr, env)
	case args[0] == "health":
		err = healthCommand(ctx, args[1:], stdout)
	case args[0] == "migrate":
		err = migrateCommand(ctx, args[1:], stdout, stderr, env)
	case args[0] == "openapi":
		err = openapiCommand(ctx, args[1:], stdout, stderr)
	case args[0] == "version":
		fmt.Fprintln(stdout, "zhengwu", version)
	case len(args) >= 2 && args[0] == "admin" && args[1] == "create":
		err = adminCreate(ctx, args[2:], stdin, stdout, stderr, env)
	case len(args) >= 2 && args[0] == "admin" && args[1] == "reset-password":
		err = adminResetPassword(ctx, args[2:], stdin, stdout, stderr, env)
	case len(args) >= 2 && args[0] == "admin" && args[1] == "rotate-keys":
		err = adminRotateKeys(ctx, args[2:], stdout, stderr, env)
	case len(args) >= 2 && args[0] == "gateway":
		err = gatewayCommand(ctx, args[1], args[2:], stdout, stderr, env)
	case len(args) >= 2 && args[0] == "search" && args[1] == "reindex":
		err = searchReindex(ctx, args[2:], stdout, stderr, env)
	case len(args) >= 2 && args[0] == "audit" && args[1] == "verify":
		return auditVerify(ctx, args[2:], stdout, stderr, env)
	case len(args) >= 2 && args[0] == "seal" && args[1] == "verify":
		return sealVerify(ctx, args[2:], stdout, stderr, env)
	case args[0] == "help" || args[0] == "-h" || args[0] == "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "zhengwu:", err)
		return 1
	}
	return 0
}
