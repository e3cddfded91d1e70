// Evaluates IAM requests against real policies with @cloud-copilot/iam-simulate,
// an evaluator written by others (pinned in package-lock.json). The Go test
// in this directory builds the requests and the policies (taken from the
// mock-engine run of the programs) and reads the verdicts.
//
// Input (stdin): {"scenarios": [{"name": ..., "simulation": <iam-simulate Simulation>}]}
// Output (stdout): one JSON object per scenario, in order:
//   {"name", "result": "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied",
//    "passedThrough": [keys], "error": "..."}
//
// One known gap of the library, handled here and nowhere else: its
// validated entry point runSimulation keeps only the context keys it knows
// for the action, and it matches variable keys (such as
// kms:EncryptionContext:${EncryptionContextKey}) only when the variable
// follows a "/", so every kms:EncryptionContext:<key> is dropped as
// ignored, and a key policy conditioned on one can never match. Its own
// tests do not exercise encryption contexts. For such a request the runner
// calls the engine's authorize() (the function runSimulation calls) with
// the context runSimulation normalised plus the dropped
// kms:EncryptionContext keys, and reports them in passedThrough. Any other
// ignored key is an error: the scenario asked about something the
// evaluator would not look at. (runUnsafeSimulation, the library's own
// bypass, throws on any resource policy in 0.1.173.)
import { runSimulation } from '@cloud-copilot/iam-simulate'
import { loadPolicy } from '@cloud-copilot/iam-policy'

const engine = new URL('./node_modules/@cloud-copilot/iam-simulate/dist/esm/', import.meta.url)
const { authorize } = await import(new URL('core_engine/CoreSimulatorEngine.js', engine))
const { AwsRequestImpl } = await import(new URL('request/request.js', engine))
const { RequestContextImpl } = await import(new URL('requestContext.js', engine))
const { DiscoveryContextKeyConstraints } = await import(new URL('context_keys/discoveryContextKeyConstraints.js', engine))
const { normalizeSimulationParameters } = await import(new URL('simulation_engine/simulationEngine.js', engine))

const ENCRYPTION_CONTEXT = 'kms:encryptioncontext:'

async function evaluate(sim) {
  const res = await runSimulation(sim, {})
  if (res.resultType === 'error') {
    return { error: JSON.stringify(res.errors) }
  }
  // An action IAM cannot scope to a resource (cloudwatch:PutMetricData,
  // ec2:DescribeTags) is requested on "*", which the evaluator answers as
  // a wildcard: one result when allowed, none (and its overall verdict)
  // when not. Any other pattern matching several resources is refused.
  const wildcard = res.resultType === 'wildcard' && sim.request.resource.resource === '*' && res.results.length <= 1
  if (res.resultType !== 'single' && !wildcard) {
    return { error: `resource ${sim.request.resource.resource} matched a pattern; name one resource` }
  }
  if (wildcard && res.results.length === 0) {
    return { result: res.overallResult, passedThrough: [] }
  }
  const result = res.resultType === 'single' ? res.result : res.results[0]
  const ignored = result.ignoredContextKeys ?? []
  if (ignored.length === 0) {
    return { result: res.overallResult, passedThrough: [] }
  }
  const unknown = ignored.filter((k) => !k.toLowerCase().startsWith(ENCRYPTION_CONTEXT))
  if (unknown.length > 0 || !sim.request.action.toLowerCase().startsWith('kms:')) {
    return { error: `the evaluator ignores context keys ${JSON.stringify(ignored)} for ${sim.request.action}` }
  }
  const { validContextValues } = await normalizeSimulationParameters(sim, undefined)
  const context = { ...validContextValues }
  for (const k of ignored) {
    context[k] = sim.request.contextVariables[k]
  }
  const analysis = authorize({
    request: new AwsRequestImpl(
      sim.request.principal,
      { resource: sim.request.resource.resource, accountId: sim.request.resource.accountId },
      sim.request.action,
      new RequestContextImpl(context),
      false
    ),
    sessionPolicy: undefined,
    identityPolicies: sim.identityPolicies.map((p) => loadPolicy(p.policy, { name: p.name })),
    // The SCPs as runSimulation loads them (its simulationEngine.js).
    serviceControlPolicies: (sim.serviceControlPolicies ?? []).map((c) => ({
      orgIdentifier: c.orgIdentifier,
      policies: c.policies.map((p) => loadPolicy(p.policy, { name: p.name }))
    })),
    resourceControlPolicies: [],
    resourcePolicy: sim.resourcePolicy ? loadPolicy(sim.resourcePolicy, { name: 'resource' }) : undefined,
    permissionBoundaries: undefined,
    vpcEndpointPolicies: undefined,
    simulationParameters: { simulationMode: 'Strict', discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) },
    serviceSettings: { s3: {} }
  })
  return { result: analysis.result, passedThrough: ignored }
}

let input = ''
for await (const chunk of process.stdin) input += chunk
const { scenarios } = JSON.parse(input)
for (const s of scenarios) {
  let out
  try {
    out = await evaluate(s.simulation)
  } catch (e) {
    out = { error: String(e && e.stack ? e.stack : e) }
  }
  process.stdout.write(JSON.stringify({ name: s.name, ...out }) + '\n')
}
