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
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (keep it on loopback: no auth in this mode)")
	dir := flag.String("dir", "./data", "directory for the SQLite files, one per database")
	pprofAddr := flag.String("pprof", "", "if set (loopback, e.g. 127.0.0.1:6060), serve Go's profiler there: where the store spends its CPU")
	flag.Parse()

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
