// Command mongo-compat runs FerretDB 1.x (SQLite backend) embedded, so the project can test and
// demo against a MongoDB-wire-compatible server on machines without Docker or a MongoDB package.
// The embeddable package is used instead of FerretDB's own cmd because that binary panics at
// start when built from the module (its version file is git-ignored upstream).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (keep it on loopback: no auth in this mode)")
	dir := flag.String("dir", "./data", "directory for the SQLite files, one per database")
	pprofAddr := flag.String("pprof", "", "if set (loopback, e.g. 127.0.0.1:6060), serve Go's profiler there: where the store spends its CPU")
	flag.Parse()
	tuneCollector()

	if *pprofAddr != "" {
		ln, err := net.Listen("tcp", *pprofAddr)
		if err != nil {
			log.Fatalf("mongo-compat: profiler: %v", err)
		}
		fmt.Printf("mongo-compat profiler on http://%s/debug/pprof/\n", ln.Addr())
		go func() { log.Println(http.Serve(ln, nil)) }()
	}

	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatalf("mongo-compat: cannot create %s: %v", *dir, err)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Handler:   "sqlite",
		SQLiteURL: "file:" + *dir + "/",
	})
	if err != nil {
		log.Fatalf("mongo-compat: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	stopKeeper := make(chan struct{})
	defer close(stopKeeper)
	go newIDIndexKeeper(*dir).run(200*time.Millisecond, stopKeeper)

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	fmt.Printf("mongo-compat listening on %s (%s)\n", *listen, f.MongoDBURI())
	if err := <-done; err != nil && ctx.Err() == nil {
		log.Fatalf("mongo-compat: %v", err)
	}
}

// tuneCollector makes Go's garbage collector run less often than its default (each time the heap
// doubles) unless GOGC or GOMEMLIMIT say otherwise. FerretDB decodes every document a query
// touches (all of a collection for any filter but one _id) into short-lived garbage, and collecting
// it at the default cost the store much of its throughput: the status benchmark's gateway on a
// quiet 2-core machine answered 366-380 req/s with a p99 of 98-102 ms by default, 521-578 req/s
// and 53-59 ms at 400, 645 req/s and 46 ms at 1000 (docs/decisions.md). 400 lets the heap grow to
// about five times what is live; the soft limit makes the collector work harder rather than let
// the heap pass 2 GiB.
func tuneCollector() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(2 << 30)
	}
}
