package main

import (
	"encoding/binary"
	"errors"
	"io"
	"log"
	"net"
	"sync"
)

// FerretDB runs an update as a read and a write-back, so two updates of one document at once can
// overwrite each other; MongoDB applies each to a document atomically. The pipeline's guarded
// writes (a buyer's count under its stamp, a link under its version) rely on that, so a test of
// two writers at once failed now and then on FerretDB alone. serveSerialized stands between the
// clients and FerretDB and lets one modifying command through at a time (reads and inserts go on
// side by side): updates then behave as MongoDB's do, document by document, on this server too.

// modifying lists the commands that read a document and write it back.
var modifying = map[string]bool{"update": true, "findAndModify": true, "findandmodify": true, "delete": true}

const (
	opMsg       = 2013
	headerBytes = 16
	// The largest message MongoDB accepts (maxMessageSizeBytes).
	maxMessageBytes = 48_000_000
)

// serveSerialized accepts clients on listener and relays each to a new connection to backend.
func serveSerialized(listener net.Listener, backend string) {
	var writes sync.Mutex
	for {
		client, err := listener.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				log.Printf("accept: %v", err)
			}
			return
		}
		go relay(client, backend, &writes)
	}
}

// relay forwards one client's messages. A driver sends a command on a connection and waits for its
// reply before the next, so holding the lock from a modifying command to the next reply on the
// connection covers exactly that command.
func relay(client net.Conn, backend string, writes *sync.Mutex) {
	defer client.Close()
	server, err := net.Dial("unix", backend)
	if err != nil {
		log.Printf("dial FerretDB: %v", err)
		return
	}
	defer server.Close()
	held := make(chan bool, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			message, err := readMessage(server)
			if err == nil {
				_, err = client.Write(message)
			}
			select {
			case <-held:
				writes.Unlock()
			default:
			}
			if err != nil {
				client.Close()
				return
			}
		}
	}()
	for {
		message, err := readMessage(client)
		if err != nil {
			break
		}
		if modifying[commandName(message)] {
			writes.Lock()
			held <- true
		}
		if _, err := server.Write(message); err != nil {
			break
		}
	}
	server.Close()
	<-done
	select {
	case <-held:
		writes.Unlock()
	default:
	}
}

// readMessage reads one wire-protocol message, header included.
func readMessage(conn net.Conn) ([]byte, error) {
	header := make([]byte, headerBytes)
	if _, err := io.ReadFull(conn, header); err != nil {
		return nil, err
	}
	length := int(binary.LittleEndian.Uint32(header))
	if length < headerBytes || length > maxMessageBytes {
		return nil, errors.New("bad message length")
	}
	message := make([]byte, length)
	copy(message, header)
	_, err := io.ReadFull(conn, message[headerBytes:])
	return message, err
}

// commandName is the first key of an OP_MSG's body section ("" for anything else): the command.
func commandName(message []byte) string {
	if binary.LittleEndian.Uint32(message[12:]) != opMsg || len(message) < headerBytes+4+1+4+2 {
		return ""
	}
	section := message[headerBytes+4:] // after the flag bits
	if section[0] != 0 {
		return ""
	}
	element := section[1+4:] // after the section kind and the document's length: type, then key
	end := 1
	for end < len(element) && element[end] != 0 {
		end++
	}
	return string(element[1:end])
}
