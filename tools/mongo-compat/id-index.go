package main

// FerretDB 1.24's SQLite backend indexes `_id` as `_ferretdb_sjson->"_id"` but looks documents up
// by `_ferretdb_sjson->'$._id'` (in its filter pushdown and in every UPDATE and DELETE it runs, one
// per modified document). SQLite matches index expressions by their text, so none of those uses
// the index: each one scans the table (EXPLAIN QUERY PLAN says SCAN), and an update of n
// documents in a collection of N costs n*N row decodes. This keeper adds, beside FerretDB's own
// index, one on the very expression FerretDB queries by, to every collection table it finds. The
// index is plain SQLite: FerretDB does not list it, and it goes with the table when FerretDB drops
// the collection. See docs/decisions.md.

import (
	"database/sql"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite"
)

// The column FerretDB keeps each document in, and the expression it matches `_id` with.
const idExpr = `_ferretdb_sjson->'$._id'`

const idIndexSuffix = "__id_lookup"

type openFile struct {
	db   *sql.DB
	info os.FileInfo
}

type idIndexKeeper struct {
	dir   string
	files map[string]*openFile
	done  map[string]bool
}

func newIDIndexKeeper(dir string) *idIndexKeeper {
	return &idIndexKeeper{dir: dir, files: map[string]*openFile{}, done: map[string]bool{}}
}

// run looks for new tables every interval until stop is closed. New collections are created as
// the apps first write to them; until the keeper has seen one it is only slower, never wrong.
func (k *idIndexKeeper) run(interval time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		k.pass()
		select {
		case <-stop:
			for _, f := range k.files {
				f.db.Close()
			}
			return
		case <-t.C:
		}
	}
}

func (k *idIndexKeeper) pass() {
	paths, _ := filepath.Glob(filepath.Join(k.dir, "*.sqlite"))
	seen := map[string]bool{}
	for _, p := range paths {
		seen[p] = true
		if err := k.indexFile(p); err != nil {
			// Busy or dropped meanwhile: forget the handle and try again on the next pass.
			k.forget(p)
			if !strings.Contains(err.Error(), "SQLITE_BUSY") && !os.IsNotExist(err) {
				log.Printf("mongo-compat: _id lookup index on %s: %v", filepath.Base(p), err)
			}
		}
	}
	for p := range k.files {
		if !seen[p] {
			k.forget(p)
		}
	}
}

func (k *idIndexKeeper) forget(p string) {
	if f, ok := k.files[p]; ok {
		f.db.Close()
		delete(k.files, p)
	}
	for key := range k.done {
		if strings.HasPrefix(key, p+"\x00") {
			delete(k.done, key)
		}
	}
}

func (k *idIndexKeeper) indexFile(p string) error {
	info, err := os.Stat(p)
	if err != nil {
		return err
	}
	// A database dropped and created again is a new file under the same name.
	if f, ok := k.files[p]; ok && !os.SameFile(f.info, info) {
		k.forget(p)
	}
	f, ok := k.files[p]
	if !ok {
		// mode=rw: never creates a file FerretDB has just removed.
		db, err := sql.Open("sqlite", "file:"+p+"?mode=rw&_pragma=busy_timeout(10000)")
		if err != nil {
			return err
		}
		db.SetMaxOpenConns(1)
		f = &openFile{db: db, info: info}
		k.files[p] = f
	}
	rows, err := f.db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\_ferretdb\_%' ESCAPE '\' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, table := range tables {
		key := p + "\x00" + table
		if k.done[key] {
			continue
		}
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (%s)`, table+idIndexSuffix, table, idExpr)
		if _, err := f.db.Exec(q); err != nil {
			if strings.Contains(err.Error(), "no such table") {
				continue
			}
			return err
		}
		k.done[key] = true
	}
	return nil
}
