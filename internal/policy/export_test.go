package policy

import "github.com/tenantkit/tenantkit/internal/graph"

// Record adds a resource to the guard's graph as the transform does, for
// the external tests, which can run the example programs (this package
// cannot import them: they import it).
func (g *Guard) Record(r *graph.Resource) { g.input.Graph.Add(r) }

// Takes is takes, for the test that holds the quota table to the programs.
var Takes = takes
