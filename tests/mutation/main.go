// Command mutation checks that every protective setting in components/ is
// pinned by a test: it switches one protective literal off at a time
// (pulumi.Bool true↔false, Deny→Allow, aws:kms→AES256, Enabled→Suspended,
// a policy condition's "true"↔"false", …) in a scratch copy of the
// repository, runs the tests that judge the components, and reports each
// mutant KILLED (some test failed) or SURVIVED (every test stayed green),
// with a score line.
//
//	go run ./tests/mutation                 # every mutant, 2 workers
//	go run ./tests/mutation -list           # the mutants only
//	go run ./tests/mutation -run trail.go   # the mutants of matching files
//
// It takes minutes (one test run per mutant), so it runs on demand, not in
// .ci/run; the README records its score. The logic packages are measured
// with gremlins instead (scripts/gremlins.sh).
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// weaken maps a protective string literal to the value that switches the
// protection off. Only weakening directions: a mutant that makes something
// stricter tests functionality, not protection.
var weaken = map[string]string{
	"Deny":                "Allow",
	"aws:kms":             "AES256",
	"Enabled":             "Suspended",
	"ENABLED":             "DISABLED",
	"COMPLIANCE":          "GOVERNANCE",
	"required":            "optional",
	"BucketOwnerEnforced": "ObjectWriter",
	"HTTP_301":            "HTTP_302",
	"strictest":           "monitor",
	"true":                "false",
	"false":               "true",
	// Added with #32: the settings moved into internal/expect and the
	// copies' and alarms' literals the first list did not know.
	"Disabled":               "Enabled",      // delete markers not replicated
	"ALL":                    "REJECT",       // flow logs of every packet
	"breaching":              "notBreaching", // no data alarms
	"GreaterThanThreshold":   "LessThanThreshold",
	"Maximum":                "Minimum",
	"FIFTEEN_MINUTES":        "SIX_HOURS",
	"Install":                "Scan",
	"EBS_MALWARE_PROTECTION": "RDS_LOGIN_EVENTS",
}

// weakenInt maps a protective integer field to the value that switches
// the protection off: an IMDS hop limit of 2 lets a container on the
// instance reach the instance's credentials.
var weakenInt = map[string]string{"HttpPutResponseHopLimit": "2", "HopLimit": "2"}

// roots are where the protective literals live: the programs, and the
// expectations the programs build from and the judges compare with.
var roots = []string{"components", "internal/expect"}

// defaultTests judge the components: their own tests, the plan rules and
// the planner, and the policy semantics under the IAM evaluator.
var defaultTests = "./components/... ./internal/expect/ ./internal/policy/ ./internal/plan/ ./tests/iameval/"

// explained lists the literals whose switch weakens nothing the catalog
// promises, with the reason; they are still mutated and still counted as
// survivors, and the output prints the reason beside them. Keyed by file
// and the field the literal sets.
var explained = map[string]string{
	"components/compute/compute.go UpdateDefaultVersion": "the group names the template's latest version by its number, so the default version is never read",
	"components/compute/compute.go PropagateAtLaunch":    "the instances and volumes take their tags from the launch template; the group's tags stay on the group",
	"components/compute/compute.go Internal":             "the load balancer is the tenant's public entry by design; its reach is the listener and group rules (WP-20.1), not this flag",
}

// Mutant is one literal switched off.
type Mutant struct {
	File      string // relative to the repository
	Line      int
	Offset    int // of the literal in the file
	Old, New  string
	Context   string // the field or call it sits in
	Status    string
	Killed    string // the first failing test
	durationS float64
}

func (m Mutant) String() string {
	return fmt.Sprintf("%s:%d %s %s→%s", m.File, m.Line, m.Context, m.Old, m.New)
}

func main() {
	list := flag.Bool("list", false, "list the mutants and exit")
	only := flag.String("run", "", "only mutants whose file:line matches this regular expression")
	workers := flag.Int("j", 2, "mutants tested at once (each in its own copy of the repository)")
	tests := flag.String("tests", defaultTests, "the packages whose tests judge a mutant")
	flag.Parse()
	root, err := repoRoot()
	if err != nil {
		fatal(err)
	}
	mutants, err := find(root)
	if err != nil {
		fatal(err)
	}
	if *only != "" {
		re, err := regexp.Compile(*only)
		if err != nil {
			fatal(err)
		}
		var keep []Mutant
		for _, m := range mutants {
			if re.MatchString(fmt.Sprintf("%s:%d", m.File, m.Line)) {
				keep = append(keep, m)
			}
		}
		mutants = keep
	}
	if *list {
		for _, m := range mutants {
			fmt.Println(m)
		}
		fmt.Printf("%d mutants\n", len(mutants))
		return
	}
	start := time.Now()
	results := runAll(root, mutants, *workers, strings.Fields(*tests))
	killed, excused := 0, 0
	for _, m := range results {
		fmt.Printf("%-8s %s", m.Status, m)
		why := explained[m.File+" "+m.Context]
		switch {
		case m.Killed != "":
			fmt.Printf("  (%s)", m.Killed)
		case m.Status == "SURVIVED" && why != "":
			fmt.Printf("  (explained: %s)", why)
			excused++
		}
		fmt.Println()
		if m.Status == "KILLED" {
			killed++
		}
	}
	fmt.Printf("mutation score: %d of %d mutants killed (%.0f%%), %d survived (%d of them explained as not protective); %s, %d workers\n",
		killed, len(results), 100*float64(killed)/float64(max(len(results), 1)), len(results)-killed, excused, time.Since(start).Round(time.Second), *workers)
	if killed+excused < len(results) {
		os.Exit(1)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "mutation:", err)
	os.Exit(2)
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// find lists the protective literals of components/: every pulumi.Bool
// argument, and every string literal that weaken knows.
func find(root string) ([]Mutant, error) {
	var out []Mutant
	for _, dir := range roots {
		found, err := findIn(root, dir)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Offset < out[j].Offset
	})
	return out, nil
}

func findIn(root, dir string) ([]Mutant, error) {
	var out []Mutant
	err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			stack = append(stack, n)
			switch x := n.(type) {
			case *ast.CallExpr:
				if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Bool" && len(x.Args) == 1 {
					if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "pulumi" {
						if id, ok := x.Args[0].(*ast.Ident); ok && (id.Name == "true" || id.Name == "false") {
							p := fset.Position(id.Pos())
							out = append(out, Mutant{File: rel, Line: p.Line, Offset: p.Offset, Old: id.Name, New: map[string]string{"true": "false", "false": "true"}[id.Name], Context: where(stack)})
						}
					}
				}
			case *ast.BasicLit:
				if x.Kind == token.INT {
					if to, ok := weakenInt[where(stack)]; ok {
						p := fset.Position(x.Pos())
						out = append(out, Mutant{File: rel, Line: p.Line, Offset: p.Offset, Old: x.Value, New: to, Context: where(stack)})
					}
					return true
				}
				if x.Kind != token.STRING {
					return true
				}
				v, err := strconv.Unquote(x.Value)
				if err != nil {
					return true
				}
				if to, ok := weaken[v]; ok {
					p := fset.Position(x.Pos())
					out = append(out, Mutant{File: rel, Line: p.Line, Offset: p.Offset, Old: x.Value, New: strconv.Quote(to), Context: where(stack)})
				}
			}
			return true
		})
		return nil
	})
	return out, err
}

// where names what a literal sets: the nearest field key, else the called
// function.
func where(stack []ast.Node) string {
	for i := len(stack) - 1; i >= 0; i-- {
		switch x := stack[i].(type) {
		case *ast.KeyValueExpr:
			switch k := x.Key.(type) {
			case *ast.Ident:
				return k.Name
			case *ast.BasicLit:
				return k.Value
			}
		case *ast.FuncDecl:
			return x.Name.Name
		}
	}
	return "?"
}

// runAll tests the mutants, each worker in its own scratch copy.
func runAll(root string, mutants []Mutant, workers int, tests []string) []Mutant {
	jobs := make(chan int)
	var wg sync.WaitGroup
	results := make([]Mutant, len(mutants))
	for w := 0; w < max(workers, 1); w++ {
		scratch, err := os.MkdirTemp("", "tenantkit-mutation-")
		if err != nil {
			fatal(err)
		}
		defer os.RemoveAll(scratch)
		if err := copyTree(root, scratch); err != nil {
			fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i] = test(scratch, mutants[i], tests)
				fmt.Fprintf(os.Stderr, "%s %s (%.0fs)\n", results[i].Status, results[i], results[i].durationS)
			}
		}()
	}
	for i := range mutants {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results
}

// test applies one mutant in scratch, runs the tests, restores the file.
func test(scratch string, m Mutant, tests []string) Mutant {
	path := filepath.Join(scratch, m.File)
	orig, err := os.ReadFile(path)
	if err != nil {
		fatal(err)
	}
	if !bytes.HasPrefix(orig[m.Offset:], []byte(m.Old)) {
		fatal(fmt.Errorf("%s: %q not at offset %d", m.File, m.Old, m.Offset))
	}
	mutated := append(append(append([]byte{}, orig[:m.Offset]...), m.New...), orig[m.Offset+len(m.Old):]...)
	if err := os.WriteFile(path, mutated, 0o644); err != nil {
		fatal(err)
	}
	defer os.WriteFile(path, orig, 0o644)
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", append([]string{"test", "-count=1", "-failfast", "-timeout", "8m"}, tests...)...)
	cmd.Dir = scratch
	out, err := cmd.CombinedOutput()
	m.durationS = time.Since(start).Seconds()
	if err == nil {
		m.Status = "SURVIVED"
		return m
	}
	m.Status = "KILLED"
	if line := firstFailure(out); line != "" {
		m.Killed = line
	}
	return m
}

var failLine = regexp.MustCompile(`(?m)^\s*--- FAIL: (\S+)`)

func firstFailure(out []byte) string {
	if m := failLine.FindSubmatch(out); m != nil {
		return string(m[1])
	}
	if bytes.Contains(out, []byte("build failed")) || bytes.Contains(out, []byte("[setup failed]")) {
		return "build failed"
	}
	return "tests failed"
}

// copyTree copies the repository for a worker; node_modules is linked.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir() && (d.Name() == ".git" || d.Name() == ".bin" || d.Name() == "reports"):
			return filepath.SkipDir
		case d.IsDir() && d.Name() == "node_modules":
			if err := os.Symlink(path, target); err != nil {
				return err
			}
			return filepath.SkipDir
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			return nil
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		info, _ := d.Info()
		out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, info.Mode().Perm())
		if err != nil {
			return err
		}
		defer out.Close()
		_, err = io.Copy(out, in)
		return err
	})
}
