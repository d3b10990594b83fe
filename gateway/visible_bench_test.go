package gateway_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"zhengwu/search/searchapi"
	"zhengwu/shared/testkit"
)

// BenchmarkApprovalToVisible: the time from the office writing an
// approved, released info item to a reader seeing it, over HTTP, in the
// delivery API (the newest-first list of its channel) and in portal
// search (a query for a token of its title). The portal is wired as
// `zhengwu serve` wires it (newPortal live: one store with notifications,
// the gateway running and woken by them, the CMS's feed consumers and the
// search service subscribed to them) and served on a loopback listener;
// a net/http client polls every millisecond. Each item's two latencies
// are measured from the start of its write, polled concurrently, and the
// next item is written once both have seen it. A few hundred items are
// published first so that the indexes are not empty. Reports p50 and p99
// of each (goal p99 ≤ 1 s on the embedded default, issue #5):
//
//	go test -run XXX -bench ApprovalToVisible -benchtime 200x ./gateway/
func BenchmarkApprovalToVisible(b *testing.B) {
	const (
		background = 300
		channel    = "news"
		timeout    = 10 * time.Second // per item, before the benchmark fails
		pollEvery  = time.Millisecond
	)
	p := newPortal(b, true)
	ctx, cancel := context.WithCancel(context.Background())
	gwDone := make(chan struct{})
	go func() { defer close(gwDone); _ = p.gw.Run(ctx) }()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- p.app.Listener(ln) }()
	// Registered after newPortal's clean-up, so run before it: the server
	// and the gateway stop before the services and the store close.
	b.Cleanup(func() {
		_ = p.app.ShutdownWithTimeout(5 * time.Second)
		<-served
		cancel()
		<-gwDone
	})
	base := "http://" + ln.Addr().String()
	client := &http.Client{Timeout: 5 * time.Second,
		Transport: &http.Transport{MaxIdleConns: 8, MaxIdleConnsPerHost: 8, IdleConnTimeout: time.Minute}}
	b.Cleanup(client.CloseIdleConnections)

	// An item the portal takes: released, approved for channel, with an
	// attachment its media store holds (testFiles' PDF).
	newItem := func(id, title string) info {
		it := released(id, 1, title)
		it.Portal.Channel = channel
		it.Attachments = []infoAttach{p.files[0]}
		return it
	}
	// get reads path as an anonymous reader into v.
	get := func(path string, v any) error {
		resp, err := client.Get(base + path)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %d %s", path, resp.StatusCode, body)
		}
		return json.Unmarshal(body, v)
	}
	listPath := "/api/portal/v1/items?channel=" + channel + "&size=20"
	listed := func(title string) (bool, error) {
		var res struct {
			Items []struct {
				Title string `json:"title"`
			} `json:"items"`
		}
		if err := get(listPath, &res); err != nil {
			return false, err
		}
		for _, it := range res.Items {
			if it.Title == title {
				return true, nil
			}
		}
		return false, nil
	}
	found := func(token, title string) (bool, error) {
		var res searchResult
		if err := get(searchapi.Prefix+"/search?scope=portal&size=10&q="+url.QueryEscape(token), &res); err != nil {
			return false, err
		}
		for _, h := range res.Hits {
			if h.Title == title {
				return true, nil
			}
		}
		return false, nil
	}
	// poll calls seen every pollEvery until it is true; it returns the
	// time from start to the answer that was.
	poll := func(start time.Time, seen func() (bool, error)) (time.Duration, error) {
		for {
			ok, err := seen()
			if err != nil {
				return 0, err
			}
			if ok {
				return time.Since(start), nil
			}
			if time.Since(start) > timeout {
				return 0, fmt.Errorf("not visible after %v", timeout)
			}
			time.Sleep(pollEvery)
		}
	}

	// Background: published and indexed everywhere before the clock runs.
	for j := range background {
		p.put(newItem(fmt.Sprintf("bg-%04d", j), fmt.Sprintf("背景稿件 bg%04d", j)))
	}
	testkit.Eventually(b, 2*time.Minute, "every background item crossed", func() bool {
		st, err := p.gw.Status(p.ctx)
		if err != nil {
			b.Fatal(err)
		}
		if st.Refused > 0 {
			b.Fatalf("the gateway refused %d background items", st.Refused)
		}
		return st.Crossed >= background
	})
	p.settle(b)
	if ok, err := found(fmt.Sprintf("bg%04d", background-1), fmt.Sprintf("背景稿件 bg%04d", background-1)); err != nil || !ok {
		b.Fatalf("the last background item is not found by search (%v)", err)
	}

	var delivery, search []time.Duration
	i := 0
	for b.Loop() {
		id, token := fmt.Sprintf("vis-%06d", i), fmt.Sprintf("vis%06d", i)
		title := "可见性测试 " + token
		i++
		it := newItem(id, title)
		start := time.Now() // the approval is this write
		p.put(it)
		var wg sync.WaitGroup
		var dLat, sLat time.Duration
		var dErr, sErr error
		wg.Go(func() { dLat, dErr = poll(start, func() (bool, error) { return listed(title) }) })
		wg.Go(func() { sLat, sErr = poll(start, func() (bool, error) { return found(token, title) }) })
		wg.Wait()
		if dErr != nil {
			b.Fatalf("%s in the delivery list: %v", id, dErr)
		}
		if sErr != nil {
			b.Fatalf("%s in search: %v", id, sErr)
		}
		delivery, search = append(delivery, dLat), append(search, sLat)
	}
	b.ReportMetric(percentileMs(delivery, 0.50), "delivery-p50-ms")
	b.ReportMetric(percentileMs(delivery, 0.99), "delivery-p99-ms")
	b.ReportMetric(percentileMs(search, 0.50), "search-p50-ms")
	b.ReportMetric(percentileMs(search, 0.99), "search-p99-ms")
	b.Logf("%d items: delivery max %.1f ms, search max %.1f ms", len(delivery),
		percentileMs(delivery, 1), percentileMs(search, 1))
}

// percentileMs is the p-quantile of lat in milliseconds (the same rank
// as BenchmarkApprovalToPortal's: the element at p·n, capped at the last).
func percentileMs(lat []time.Duration, p float64) float64 {
	if len(lat) == 0 {
		return 0
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	return float64(s[min(len(s)-1, int(p*float64(len(s))))].Microseconds()) / 1000
}
