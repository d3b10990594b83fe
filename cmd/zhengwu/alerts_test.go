package main

import (
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"go.yaml.in/yaml/v4"
)

// alertRules is the shape of a Prometheus rule file, as far as the check
// below reads it.
type alertRules struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []struct {
			Alert       string            `yaml:"alert"`
			Expr        string            `yaml:"expr"`
			Labels      map[string]string `yaml:"labels"`
			Annotations map[string]string `yaml:"annotations"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

var metricName = regexp.MustCompile(`\bzhengwu_[a-z_]+\b`)

// The alerts of docs/operations.md (deploy/alerts.yml) watch metrics the
// binary really exports: a renamed metric would leave its alert silent
// for ever, which no one notices until the day it should have fired.
func TestAlertRulesNameExportedMetrics(t *testing.T) {
	data, err := os.ReadFile("../../deploy/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	var rules alertRules
	if err := yaml.Unmarshal(data, &rules); err != nil {
		t.Fatalf("deploy/alerts.yml: %v", err)
	}
	srv := newTestServer(t)
	exported := exportedMetrics(t, srv)

	alerts := 0
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			alerts++
			if r.Alert == "" || strings.TrimSpace(r.Expr) == "" || r.Labels["severity"] == "" || r.Annotations["summary"] == "" {
				t.Errorf("group %s: rule %q needs alert, expr, a severity label and a summary", g.Name, r.Alert)
			}
			for _, m := range metricName.FindAllString(r.Expr, -1) {
				base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(m, "_bucket"), "_sum"), "_count")
				if !exported[m] && !exported[base] {
					t.Errorf("alert %s watches %s, which the binary does not export", r.Alert, m)
				}
			}
		}
	}
	if alerts < 10 {
		t.Fatalf("deploy/alerts.yml holds %d alerts", alerts)
	}
}

// exportedMetrics names every metric srv's registry can export: those
// already gathered (after one request, so the HTTP ones have a series) and
// every collector's descriptors (a counter by label has none until its
// first event).
func exportedMetrics(t *testing.T, srv *server) map[string]bool {
	t.Helper()
	if _, err := srv.app.Test(httptest.NewRequest("GET", "/readyz", nil), 30_000); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	families, err := srv.registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		names[f.GetName()] = true
	}
	collectors := srv.parts.leaseMetrics.Collectors()
	for _, r := range srv.parts.built {
		collectors = append(collectors, r.collectors...)
	}
	descs := make(chan *prometheus.Desc, 64)
	go func() {
		for _, c := range collectors {
			c.Describe(descs)
		}
		close(descs)
	}()
	fq := regexp.MustCompile(`fqName: "([a-z_]+)"`)
	for d := range descs {
		if m := fq.FindStringSubmatch(d.String()); m != nil {
			names[m[1]] = true
		}
	}
	return names
}
