//go:build ignore

// This file is added to FerretDB's SQLite backend (package sqlite) by buildFerretDb.ts, which drops
// the build constraint above: here it only keeps `go build .` of the main from compiling it.

package sqlite

import (
	"fmt"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// idWhereClause narrows a query to the documents an `_id` equality or `$in` of strings or ObjectIDs
// names, through the `_id` index, whatever else the filter says: the handler filters every
// document returned by the whole filter again, so this only skips documents that cannot match.
func idWhereClause(filter *types.Document) (string, []any) {
	if filter == nil {
		return "", nil
	}
	v, err := filter.Get("_id")
	if err != nil {
		return "", nil
	}
	if key, ok := idKey(v); ok {
		return fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn), []any{key}
	}
	operator, ok := v.(*types.Document)
	if !ok || operator.Len() != 1 {
		return "", nil
	}
	in, err := operator.Get("$in")
	if err != nil {
		return "", nil
	}
	list, ok := in.(*types.Array)
	if !ok || list.Len() == 0 {
		return "", nil
	}
	args := make([]any, list.Len())
	for i := range args {
		key, ok := idKey(must.NotFail(list.Get(i)))
		if !ok {
			return "", nil
		}
		args[i] = key
	}
	return fmt.Sprintf(` WHERE %s IN (?%s)`, metadata.IDColumn, strings.Repeat(", ?", len(args)-1)), args
}

// idKey is an `_id` value as the index holds it, for the kinds of `_id` it can be compared by.
func idKey(v any) (string, bool) {
	switch v.(type) {
	case string, types.ObjectID:
		return string(must.NotFail(sjson.MarshalSingleValue(v))), true
	}
	return "", false
}
