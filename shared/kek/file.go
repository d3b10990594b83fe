package kek

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ReadFile reads a key file: a regular file holding the key as Parse
// reads it, readable by its owner alone (mode 0600 or 0400). A file that
// its group or others may read is refused: whoever reads it reads every
// secret it protects.
func ReadFile(path string) (Key, error) {
	f, err := os.Open(path)
	if err != nil {
		return Key{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Key{}, err
	}
	if !st.Mode().IsRegular() {
		return Key{}, fmt.Errorf("kek: %s is not a regular file", path)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return Key{}, fmt.Errorf("kek: %s may be read by others (mode %04o): make it readable by its owner alone (chmod 600)", path, perm)
	}
	text, err := io.ReadAll(io.LimitReader(f, 1024))
	if err != nil {
		return Key{}, err
	}
	k, err := Parse(string(text))
	if err != nil {
		return Key{}, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// Create makes a new random key in a new file (mode 0600; its folder is
// made 0700 if missing). It refuses to overwrite an existing file
// (os.ErrExist), and the file appears whole or not at all: two processes
// starting at once cannot read a half-written key.
func Create(path string) (Key, error) {
	k, err := Generate()
	if err != nil {
		return Key{}, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return Key{}, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".master-key-*") // mode 0600
	if err != nil {
		return Key{}, err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(k.Encode() + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Link(tmp.Name(), path) // fails if path exists
	}
	if err != nil {
		return Key{}, err
	}
	return k, nil
}

// Source is where Resolve found the key.
type Source string

// Sources of a key.
const (
	FromEnv         Source = "environment"
	FromFile        Source = "key file"
	FromDefault     Source = "default key file"
	CreatedDefault  Source = "new default key file"
	EnvVar                 = "ZHENGWU_MASTER_KEY"
	DefaultFileName        = "master.key"
)

// Resolve finds the deployment's key: env (ZHENGWU_MASTER_KEY, already
// parsed) if set, else the key file if one is configured, else the
// default file in the data folder, created on first start so that a fresh
// machine runs without setup. A key beside the data it protects guards
// against a copied database, not a copied data folder: production keeps
// it elsewhere, and the caller warns when it is the default.
func Resolve(env Key, file, dataDir string) (Key, Source, error) {
	switch {
	case !env.IsZero() && file != "":
		return Key{}, "", fmt.Errorf("kek: give either --key-file or %s, not both", EnvVar)
	case !env.IsZero():
		return env, FromEnv, nil
	case file != "":
		k, err := ReadFile(file)
		return k, FromFile, err
	}
	path := filepath.Join(dataDir, DefaultFileName)
	k, err := ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		k, err = Create(path)
		if errors.Is(err, fs.ErrExist) { // another process made it first
			k, err = ReadFile(path)
			return k, FromDefault, err
		}
		return k, CreatedDefault, err
	}
	return k, FromDefault, err
}
