package verify

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestObservationsComeFromTheAnswer holds every observed value a check
// records (#37 item 4) to something read: the observed argument of each
// Pass, Fail and Pending call in this package must be built from at least
// one value that is not a constant (a field of AWS's answer, a count, a
// name read back). A literal such as "no such alarm", or ">" printed
// whatever the alarm's operator, is the tool writing the observation
// instead of reading it; so is an observation that is the expected value
// itself. The analysis is Go's own type checker's (go/types): constants
// are what it evaluates to a value, and a local variable counts as
// constant when every value assigned to it is.
func TestObservationsComeFromTheAnswer(t *testing.T) {
	p := thisPackage(t)
	calls := 0
	for _, f := range p.Syntax {
		name := p.Fset.Position(f.Pos()).Filename
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			var body *ast.BlockStmt
			switch fn := n.(type) {
			case *ast.FuncDecl:
				body = fn.Body
			case *ast.FuncLit: // a check declared in a package variable
				body = fn.Body
			}
			if body == nil {
				return true
			}
			a := newConstness(p.TypesInfo, body)
			ast.Inspect(body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || !a.isRecord(call) {
					return true
				}
				calls++
				observed, expected := call.Args[1], call.Args[2]
				pos := p.Fset.Position(call.Pos())
				if a.constant(observed) {
					t.Errorf("%s:%d: %s's observed value %s is built from constants only: print what the answer said", pos.Filename[strings.LastIndex(pos.Filename, "/")+1:], pos.Line, sel(call), types.ExprString(observed))
				}
				if types.ExprString(observed) == types.ExprString(expected) {
					t.Errorf("%s:%d: %s observes its expected value %s: print what was read", pos.Filename, pos.Line, sel(call), types.ExprString(expected))
				}
				return true
			})
			return false
		})
	}
	if calls < 100 {
		t.Fatalf("found %d observations to judge; the analysis no longer finds the checks' calls", calls)
	}
	t.Logf("%d observations judged", calls)
}

func sel(call *ast.CallExpr) string { return call.Fun.(*ast.SelectorExpr).Sel.Name }

// constness tells, within one function, whether an expression is built
// from constants only.
type constness struct {
	info *types.Info
	// assigned holds each local variable's assigned values (a range
	// variable's is the ranged expression).
	assigned map[types.Object][]ast.Expr
	visiting map[types.Object]bool
}

func newConstness(info *types.Info, body *ast.BlockStmt) *constness {
	a := &constness{info: info, assigned: map[types.Object][]ast.Expr{}, visiting: map[types.Object]bool{}}
	add := func(lhs ast.Expr, rhs ast.Expr) {
		id, ok := lhs.(*ast.Ident)
		if !ok {
			return
		}
		obj := info.ObjectOf(id)
		if obj == nil {
			return
		}
		a.assigned[obj] = append(a.assigned[obj], rhs)
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.AssignStmt:
			for i, l := range s.Lhs { // m[k] = v, x.f = v: m and x take v too
				if root := rootIdent(l); root != nil && root != l && i < len(s.Rhs) {
					add(root, s.Rhs[i])
				}
			}
			if len(s.Lhs) == len(s.Rhs) {
				for i := range s.Lhs {
					add(s.Lhs[i], s.Rhs[i])
				}
			} else {
				for _, l := range s.Lhs { // v, err := f(): from the call
					add(l, s.Rhs[0])
				}
			}
		case *ast.ValueSpec:
			for i, name := range s.Names {
				if i < len(s.Values) {
					add(name, s.Values[i])
				} else if len(s.Values) == 1 {
					add(name, s.Values[0])
				}
			}
		case *ast.RangeStmt:
			if s.Key != nil {
				add(s.Key, s.X)
			}
			if s.Value != nil {
				add(s.Value, s.X)
			}
		}
		return true
	})
	return a
}

// isRecord tells a call of (*Run).Pass, Fail or Pending.
func (a *constness) isRecord(call *ast.CallExpr) bool {
	s, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || len(call.Args) != 3 {
		return false
	}
	switch s.Sel.Name {
	case "Pass", "Fail", "Pending":
	default:
		return false
	}
	fn, ok := a.info.Uses[s.Sel].(*types.Func)
	if !ok {
		return false
	}
	recv := fn.Type().(*types.Signature).Recv()
	return recv != nil && types.TypeString(recv.Type(), nil) == "*github.com/tenantkit/tenantkit/internal/verify.Run"
}

// constant: the expression's value is the same whatever AWS answered.
func (a *constness) constant(e ast.Expr) bool {
	if tv, ok := a.info.Types[e]; ok && tv.Value != nil {
		return true
	}
	switch x := e.(type) {
	case *ast.ParenExpr:
		return a.constant(x.X)
	case *ast.BinaryExpr:
		return a.constant(x.X) && a.constant(x.Y)
	case *ast.Ident:
		obj := a.info.ObjectOf(x)
		vals, local := a.assigned[obj]
		if !local {
			return false // a parameter, a package variable, a field: read
		}
		if a.visiting[obj] {
			return true // neutral: the other values decide
		}
		a.visiting[obj] = true
		defer delete(a.visiting, obj)
		for _, v := range vals {
			if !a.constant(v) {
				return false
			}
		}
		return true
	case *ast.CompositeLit:
		for _, el := range x.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				el = kv.Value
			}
			if !a.constant(el) {
				return false
			}
		}
		return true
	case *ast.CallExpr:
		if s, ok := x.Fun.(*ast.SelectorExpr); ok {
			if _, pkg := a.info.Uses[identOf(s.X)].(*types.PkgName); !pkg && !a.constant(s.X) {
				return false // a method of something read
			}
		}
		for _, arg := range x.Args {
			if !a.constant(arg) {
				return false
			}
		}
		return true
	}
	return false
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := e.(*ast.Ident)
	if id == nil {
		return &ast.Ident{Name: "_", NamePos: token.NoPos}
	}
	return id
}

// rootIdent is the variable an index or field expression writes into.
func rootIdent(e ast.Expr) ast.Expr {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x
		case *ast.IndexExpr:
			e = x.X
		case *ast.SelectorExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// TestFieldPathsExist: every fieldOf(answer, "A.B") names fields the
// answer's type has (the SDK's field names), so a misspelt path is a
// failing test, never an observation saying "the answer has no field".
func TestFieldPathsExist(t *testing.T) {
	p := thisPackage(t)
	n := 0
	for _, f := range p.Syntax {
		ast.Inspect(f, func(node ast.Node) bool {
			call, ok := node.(*ast.CallExpr)
			if !ok || len(call.Args) != 2 {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "fieldOf" {
				return true
			}
			tv := p.TypesInfo.Types[call.Args[1]]
			if tv.Value == nil {
				t.Errorf("%s: fieldOf's path is not a constant", p.Fset.Position(call.Pos()))
				return true
			}
			n++
			typ := p.TypesInfo.TypeOf(call.Args[0])
			for _, name := range strings.Split(constant.StringVal(tv.Value), ".") {
				for {
					if ptr, ok := typ.Underlying().(*types.Pointer); ok {
						typ = ptr.Elem()
						continue
					}
					break
				}
				obj, _, _ := types.LookupFieldOrMethod(typ, true, nil, name)
				field, ok := obj.(*types.Var)
				if !ok || !field.IsField() {
					t.Errorf("%s: %s has no field %s", p.Fset.Position(call.Pos()), typ, name)
					return true
				}
				typ = field.Type()
			}
			return true
		})
	}
	if n < 20 {
		t.Fatalf("found %d fieldOf calls; the analysis no longer finds them", n)
	}
}

// thisPackage is this package, parsed and type-checked by Go's own tools,
// once for the tests that read it.
var thisPackage = func() func(t *testing.T) *packages.Package {
	var once sync.Once
	var pkg *packages.Package
	var err error
	return func(t *testing.T) *packages.Package {
		t.Helper()
		once.Do(func() {
			var pkgs []*packages.Package
			cfg := &packages.Config{Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo}
			if pkgs, err = packages.Load(cfg, "."); err == nil && (len(pkgs) != 1 || len(pkgs[0].Errors) > 0) {
				err = fmt.Errorf("loading the package: %v", pkgs)
			}
			if err == nil {
				pkg = pkgs[0]
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		return pkg
	}
}()
