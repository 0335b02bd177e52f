// Command lua-health runs an Argo CD health-check script the way Argo CD does, with the same Lua
// interpreter (github.com/yuin/gopher-lua), so the scripts in manifests/argocd/ are tested
// against the real thing rather than a look-alike.
//
//	lua-health SCRIPT.lua < object.json        prints {"status":…,"message":…}
//	lua-health -batch SCRIPT.lua < objects.json  a JSON array in, one result per object out
//
// As in Argo CD (util/lua): standard libraries are off except base, package, table and a
// reduced os; the object is decoded the way unstructured JSON is (numbers, strings, booleans,
// arrays, maps; null is nil) into the global `obj`; the script gets a one-second deadline; it must
// return a table whose status is a known health code. A script error is reported, never hidden:
// in single mode on stderr with exit code 1, in batch mode as {"error": …} for that object.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// The health codes Argo CD accepts from a script (Missing and Unknown are normally its own).
var validStatus = map[string]bool{
	"Healthy": true, "Progressing": true, "Degraded": true, "Suspended": true, "Missing": true, "Unknown": true,
}

const timeout = time.Second

type result struct {
	Status  string `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
	Error   string `json:"error,omitempty"`
}

func main() {
	args := os.Args[1:]
	batch := len(args) > 0 && args[0] == "-batch"
	if batch {
		args = args[1:]
	}
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: lua-health [-batch] SCRIPT.lua < object.json")
		os.Exit(2)
	}
	script, err := os.ReadFile(args[0])
	if err != nil {
		fail(err)
	}
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	decoded, err := decodeJSON(input)
	if err != nil {
		fail(fmt.Errorf("stdin is not JSON: %w", err))
	}
	if !batch {
		res := assess(string(script), decoded)
		if res.Error != "" {
			fail(errors.New(res.Error))
		}
		emit(res)
		return
	}
	objects, ok := decoded.([]any)
	if !ok {
		fail(errors.New("-batch expects a JSON array of objects on stdin"))
	}
	results := make([]result, len(objects))
	for i, obj := range objects {
		results[i] = assess(string(script), obj)
	}
	emit(results)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "lua-health:", err)
	os.Exit(1)
}

func emit(v any) {
	out, err := json.Marshal(v)
	if err != nil {
		fail(err)
	}
	fmt.Println(string(out))
}

// decodeJSON decodes like unstructured.Unstructured: integral numbers become int64, others float64.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return convertNumbers(v), nil
}

func convertNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = convertNumbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = convertNumbers(x[k])
		}
	}
	return v
}

// newState opens the libraries Argo CD opens when useOpenLibs is false.
func newState() *lua.LState {
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
	} {
		l.Push(l.NewFunction(lib.open))
		l.Push(lua.LString(lib.name))
		l.Call(1, 0)
	}
	l.PreloadModule(lua.OsLibName, openSafeOs)
	return l
}

// openSafeOs is the reduced os library Argo CD offers: time and date only.
func openSafeOs(l *lua.LState) int {
	mod := l.NewTable()
	l.SetField(mod, "time", l.NewFunction(func(l *lua.LState) int {
		l.Push(lua.LNumber(time.Now().Unix()))
		return 1
	}))
	l.SetField(mod, "date", l.NewFunction(func(l *lua.LState) int {
		l.Push(lua.LString(time.Now().UTC().Format(time.RFC3339)))
		return 1
	}))
	l.Push(mod)
	return 1
}

func toLua(l *lua.LState, v any) lua.LValue {
	switch x := v.(type) {
	case int64:
		return lua.LNumber(x)
	case float64:
		return lua.LNumber(x)
	case string:
		return lua.LString(x)
	case bool:
		return lua.LBool(x)
	case []any:
		t := l.CreateTable(len(x), 0)
		for _, item := range x {
			t.Append(toLua(l, item))
		}
		return t
	case map[string]any:
		t := l.CreateTable(0, len(x))
		for k, item := range x {
			t.RawSetH(lua.LString(k), toLua(l, item))
		}
		return t
	}
	return lua.LNil
}

func assess(script string, obj any) (res result) {
	l := newState()
	defer l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("obj", toLua(l, obj))
	if err := l.DoString(script); err != nil {
		return result{Error: err.Error()}
	}
	returned := l.Get(-1)
	table, ok := returned.(*lua.LTable)
	if !ok {
		return result{Error: fmt.Sprintf("expect table output from Lua script, not %s", returned.Type())}
	}
	status, _ := table.RawGetString("status").(lua.LString)
	message := table.RawGetString("message")
	res = result{Status: string(status)}
	switch m := message.(type) {
	case lua.LString:
		res.Message = string(m)
	case *lua.LNilType:
	default:
		return result{Error: fmt.Sprintf("hs.message is a %s, not a string", message.Type())}
	}
	if !validStatus[res.Status] {
		// Argo CD turns this into Unknown; for tests it is an error in the script.
		return result{Error: fmt.Sprintf("Lua returned an invalid health status %q", res.Status)}
	}
	extra := []string{}
	table.ForEach(func(k, _ lua.LValue) {
		if key, ok := k.(lua.LString); !ok || (key != "status" && key != "message") {
			extra = append(extra, k.String())
		}
	})
	if len(extra) > 0 {
		sort.Strings(extra)
		return result{Error: fmt.Sprintf("hs has unexpected keys %v", extra)}
	}
	return res
}
