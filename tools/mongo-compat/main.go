// Command mongo-compat runs FerretDB 1.x (SQLite backend) embedded, so the project can test and
// demo against a MongoDB-wire-compatible server on machines without Docker or a MongoDB package.
// The embeddable package is used instead of FerretDB's own cmd because that binary panics at
// start when built from the module (its version file is git-ignored upstream). FerretDB listens
// on a Unix socket of its own; clients reach it through the proxy in proxy.go, which keeps its
// updates of one document from overwriting each other.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (keep it on loopback: no auth in this mode)")
	dir := flag.String("dir", "./data", "directory for the SQLite files, one per database")
	flag.Parse()

	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatalf("mongo-compat: cannot create %s: %v", *dir, err)
	}

	sockDir, err := os.MkdirTemp("", "mongo-compat-")
	if err != nil {
		log.Fatalf("mongo-compat: %v", err)
	}
	defer os.RemoveAll(sockDir)
	sock := filepath.Join(sockDir, "ferretdb.sock")

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: sock},
		Handler:   "sqlite",
		SQLiteURL: "file:" + *dir + "/",
	})
	if err != nil {
		log.Fatalf("mongo-compat: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	done := make(chan error, 2)
	go func() { done <- f.Run(ctx) }()

	// The TCP port opens once FerretDB answers: whoever waits for the port then finds it ready.
	if err := waitForSocket(sock, done); err != nil {
		log.Fatalf("mongo-compat: %v", err)
	}
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("mongo-compat: %v", err)
	}
	go func() {
		<-ctx.Done()
		l.Close()
	}()
	p := &proxy{backendNet: "unix", backendAddr: sock}
	go func() { done <- p.serve(l) }()

	fmt.Printf("mongo-compat listening on %s\n", *listen)
	if err := <-done; err != nil && ctx.Err() == nil {
		log.Fatalf("mongo-compat: %v", err)
	}
}

func waitForSocket(sock string, done <-chan error) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		if c, err := net.Dial("unix", sock); err == nil {
			return c.Close()
		}
		select {
		case err := <-done:
			return fmt.Errorf("FerretDB stopped before it listened: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("FerretDB did not listen on %s within 60 s", sock)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
