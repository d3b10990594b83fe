package auth

import "time"

// Policy is the login, session and password policy. It is declared here,
// once: the config table fills it from flags and the environment
// (shared/config embeds it) and identity enforces it.
type Policy struct {
	LockoutAttempts int
	LockoutWindow   time.Duration
	LockoutDuration time.Duration
	SessionIdle     time.Duration
	SessionMax      time.Duration
	// PasswordMaxAge is how long a password stays valid; after it, a
	// login may only change the password. 0: passwords do not expire.
	PasswordMaxAge time.Duration
	// PasswordHistory is how many of the last passwords (the current one
	// among them) a new password may not repeat; at least 1.
	PasswordHistory int
}

// DefaultPolicy is the MLPS level-3 default: 5 failures in 15 minutes lock
// for 15 minutes; 30 minutes idle or 12 hours after login end a session;
// a password lasts 90 days and may not repeat any of the last 5.
var DefaultPolicy = Policy{LockoutAttempts: 5, LockoutWindow: 15 * time.Minute, LockoutDuration: 15 * time.Minute,
	SessionIdle: 30 * time.Minute, SessionMax: 12 * time.Hour, PasswordMaxAge: 90 * 24 * time.Hour, PasswordHistory: 5}
