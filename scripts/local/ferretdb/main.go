// Command ferretdb runs FerretDB's embeddable package with its SQLite backend, as the
// local MongoDB-compatible server for tests and local runs. The upstream cmd/ferretdb
// binary panics at start when built from the module proxy (its version file is missing);
// the embeddable package skips that check (see FERRETDB.md beside this file).
//
// Usage: ferretdb -listen 127.0.0.1:27017 -data /path/to/dir [-tls-cert cert.pem -tls-key key.pem] [-user NAME]
//
// With -tls-cert and -tls-key the address accepts TLS only, as Atlas does. With -user, every
// command but the handshake needs SCRAM authentication (FerretDB's experimental "new auth", which
// buildFerretDb.ts exposes on the embeddable Config), as NAME in the admin database, with the
// password in FERRETDB_PASSWORD (not a flag: the process list shows flags).
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
	tlsCert := flag.String("tls-cert", "", "server certificate (PEM): listen with TLS only")
	tlsKey := flag.String("tls-key", "", "server certificate's key (PEM)")
	user := flag.String("user", "", "require SCRAM authentication as this user of the admin database (password in FERRETDB_PASSWORD)")
	flag.Parse()
	if *data == "" {
		log.Fatal("-data is required")
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		log.Fatal("-tls-cert and -tls-key go together")
	}
	if err := os.MkdirAll(*data, 0o755); err != nil {
		log.Fatal(err)
	}
	listener := ferretdb.ListenerConfig{TCP: *listen}
	if *tlsCert != "" {
		listener = ferretdb.ListenerConfig{TLS: *listen, TLSCertFile: *tlsCert, TLSKeyFile: *tlsKey}
	}
	config := &ferretdb.Config{
		Listener:  listener,
		Handler:   "sqlite",
		SQLiteURL: "file:" + *data + "/",
	}
	if *user != "" {
		config.EnableNewAuth = true
		config.SetupDatabase = "admin"
		config.SetupUsername = *user
		config.SetupPassword = os.Getenv("FERRETDB_PASSWORD")
	}
	server, err := ferretdb.New(config)
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log.Printf("ferretdb listening on %s (tls %t, auth %t), data in %s", *listen, *tlsCert != "", *user != "", *data)
	server.Run(ctx)
}
