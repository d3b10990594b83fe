package config

import (
	"fmt"
	"os"
	"strings"
)

// FileSuffix marks the file form of a variable: ZHENGWU_<NAME>_FILE names
// a file whose contents are ZHENGWU_<NAME>'s value. Docker and Kubernetes
// mount secrets as files (/run/secrets/…); a password in an environment
// variable shows in `docker inspect` and in the process's environ, a file
// readable by the service's user alone does not.
const FileSuffix = "_FILE"

// Lookup is the value of the variable name: env(name), else the contents
// of the file env(name+"_FILE") names, with one trailing line break
// removed (editors and `echo` add it; no secret ends with one). Giving
// both is an error, as is a file that cannot be read. The error names the
// variable and the file, never what the file holds.
//
// Parse looks every option and secret up this way; a setting read outside
// the table (ZHENGWU_DEMO_PASSWORD) calls Lookup itself.
func Lookup(env func(string) string, name string) (string, error) {
	v, path := env(name), env(name+FileSuffix)
	switch {
	case path == "":
		return v, nil
	case v != "":
		return "", fmt.Errorf("give %s or %s, not both", name, name+FileSuffix)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		// err names the path only (an *fs.PathError).
		return "", fmt.Errorf("%s: %w", name+FileSuffix, err)
	}
	s := strings.TrimSuffix(strings.TrimSuffix(string(data), "\n"), "\r")
	if s == "" {
		return "", fmt.Errorf("%s: the file %s is empty", name+FileSuffix, path)
	}
	return s, nil
}
