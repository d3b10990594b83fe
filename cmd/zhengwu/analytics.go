package main

import (
	"context"
	"errors"

	"zhengwu/search/analytics"
	"zhengwu/search/analytics/analyticshttp"
)

// searchAnalytics builds the search-analytics module on the search
// module's log (p.queryLog): its routes, the synonym list's watch, the
// retention sweep (--search-log-retention) and the demo's weeks of
// searches.
func searchAnalytics(_ context.Context, p *parts) (running, error) {
	syn := analytics.NewSynonyms(p.store, p.trail, p.now, p.log)
	sweep := analytics.Sweeper{Store: p.store, Leases: p.leases(),
		Retention: p.cfg.SearchLogRetention, Now: p.now, Log: p.log}
	sweepStart, sweepStop := background(p, "search log retention sweep", sweep.Run)
	watchStart, watchStop := background(p, "search synonyms watch", syn.Watch)
	start := func(ctx context.Context) error {
		// In force before the first search; a list that cannot be read
		// leaves the default in force (the watch keeps trying).
		if err := syn.Load(ctx); err != nil {
			p.log.Warn("search synonyms: the stored list was not loaded", "err", err)
		}
		return errors.Join(watchStart(ctx), sweepStart(ctx))
	}
	routes := analyticshttp.Routes(analyticshttp.Deps{Store: p.store, Log: p.queryLog, Synonyms: syn, Tokens: p.tokens, Now: p.now})
	return running{routes: routes, start: start, stop: func() error { return errors.Join(watchStop(), sweepStop()) },
		demo: func(ctx context.Context) (int, error) { return analytics.SeedDemo(ctx, p.store, p.queryLog) }}, nil
}
