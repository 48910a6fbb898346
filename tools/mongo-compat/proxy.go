package main

// FerretDB 1.24 applies an update as a read of the matching documents followed by a separate write
// of each changed one, with nothing holding the two together. Two updates of one document that
// arrive together (say provisioning recording a sync while diagnostics records a session ending)
// both read the old document and the second write drops the first one's fields: measured here,
// 39 of 40 rounds of two concurrent $set of different fields lost one. MongoDB applies each
// update to a document atomically, and the project relies on that. So the clients talk to this
// proxy, which forwards everything to FerretDB unchanged but lets only one read-modify-write
// command (update, findAndModify) be in FerretDB at a time. Reads, inserts and deletes still run
// side by side; SQLite takes one writer at a time anyway.

import (
	"encoding/binary"
	"errors"
	"io"
	"log"
	"net"
	"sync"
)

const (
	opMsg           = 2013
	msgMoreToCome   = 1 << 1
	maxMessageBytes = 48 * 1000 * 1000
)

// serialised lists the commands that read a document and write it back.
var serialised = map[string]bool{"update": true, "findAndModify": true, "findandmodify": true}

type proxy struct {
	backendNet, backendAddr string
	writes                  sync.Mutex
}

func (p *proxy) serve(l net.Listener) error {
	for {
		c, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go p.handle(c)
	}
}

func (p *proxy) handle(client net.Conn) {
	defer client.Close()
	backend, err := net.Dial(p.backendNet, p.backendAddr)
	if err != nil {
		log.Printf("mongo-compat proxy: cannot reach FerretDB: %v", err)
		return
	}
	defer backend.Close()

	// The request id whose answer releases the write lock, if this connection holds it.
	var mu sync.Mutex
	held := int32(0)
	holding := false
	release := func(responseTo int32, always bool) {
		mu.Lock()
		defer mu.Unlock()
		if holding && (always || responseTo == held) {
			holding = false
			p.writes.Unlock()
		}
	}
	defer release(0, true)

	done := make(chan struct{})
	go func() {
		defer close(done)
		defer client.Close()
		for {
			msg, err := readMessage(backend)
			if err != nil {
				return
			}
			if _, err := client.Write(msg); err != nil {
				return
			}
			release(int32(binary.LittleEndian.Uint32(msg[8:12])), false)
		}
	}()

	for {
		msg, err := readMessage(client)
		if err != nil {
			break
		}
		if name, moreToCome := commandOf(msg); serialised[name] && !moreToCome {
			p.writes.Lock()
			mu.Lock()
			held, holding = int32(binary.LittleEndian.Uint32(msg[4:8])), true
			mu.Unlock()
		}
		if _, err := backend.Write(msg); err != nil {
			break
		}
	}
	backend.Close()
	<-done
}

// readMessage reads one whole wire-protocol message (its header says its length).
func readMessage(r io.Reader) ([]byte, error) {
	var header [16]byte
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return nil, err
	}
	n := int(binary.LittleEndian.Uint32(header[0:4]))
	if n < 16 || n > maxMessageBytes {
		return nil, errors.New("bad message length")
	}
	msg := make([]byte, n)
	copy(msg, header[:])
	if _, err := io.ReadFull(r, msg[16:]); err != nil {
		return nil, err
	}
	return msg, nil
}

// commandOf gives an OP_MSG's command name (the first key of its body document) and whether the
// client asked for no answer; anything else (the legacy OP_QUERY handshake) gives "".
func commandOf(msg []byte) (string, bool) {
	if len(msg) < 27 || binary.LittleEndian.Uint32(msg[12:16]) != opMsg {
		return "", false
	}
	moreToCome := binary.LittleEndian.Uint32(msg[16:20])&msgMoreToCome != 0
	// flags (4), then sections: kind 0 is the body document: length (4), type (1), cstring name.
	if msg[20] != 0 {
		return "", moreToCome
	}
	name := msg[26:]
	for i, b := range name {
		if b == 0 {
			return string(name[:i]), moreToCome
		}
	}
	return "", moreToCome
}
