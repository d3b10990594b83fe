package main

import (
	"zhengwu/shared/config"
	"zhengwu/shared/memlimit"
)

// startMemoryGovernor turns on the process's memory governor
// (shared/memlimit) once the start's catch-up is done, unless
// --memory-governor=false or an operator's limit (--memory-limit,
// GOMEMLIMIT) is in force, and puts its gauges on the metrics endpoint
// either way. It returns the governor's stop, or nil when it is off.
func startMemoryGovernor(cfg config.Config, srv *server, rt *runtime) (stop func()) {
	g := memlimit.Default
	srv.registry.MustRegister(g.Collectors()...)
	switch {
	case !cfg.MemoryGovernor:
		rt.log.Info("memory governor off (--memory-governor=false)")
		return nil
	case !g.Start():
		rt.log.Info("memory governor off: an operator's memory limit is in force (--memory-limit or GOMEMLIMIT)")
		return nil
	}
	rt.log.Info("memory governor on", "limit", g.Limit())
	return g.Stop
}
