// Command ferretdb runs FerretDB's embeddable package with its SQLite backend, as the
// local MongoDB-compatible server for tests and local runs. The upstream cmd/ferretdb
// binary panics at start when built from the module proxy (its version file is missing);
// the embeddable package skips that check (see FERRETDB.md beside this file).
//
// Usage: ferretdb -listen 127.0.0.1:27017 -data /path/to/dir
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	data := flag.String("data", "", "folder for the SQLite databases")
	flag.Parse()
	if *data == "" {
		log.Fatal("-data is required")
	}
	if err := os.MkdirAll(*data, 0o755); err != nil {
		log.Fatal(err)
	}
	server, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Handler:   "sqlite",
		SQLiteURL: "file:" + *data + "/",
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log.Printf("ferretdb listening on %s, data in %s", *listen, *data)
	server.Run(ctx)
}
