package expect

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/tenantkit/tenantkit/internal/config"
)

// The §10 deadline watchdog (#33 item 6): nothing outside GitHub knew a
// deadline, so a dropped scheduled run, a job waiting for an approval or a
// failure mail read by no one let a deadline pass in silence. Every tenant
// stack deploys its lifecycle state to an SSM parameter (LifecycleParameter:
// what is deployed, not what main records); for every recorded deadline the
// account baseline schedules, in EventBridge Scheduler, one run of a Step
// Functions state machine (WatchDefinition) that reads the parameter and,
// unless it shows the step applied, publishes to the provider's
// operations topic. The schedules live in AWS: they fire whatever GitHub
// does.

// LifecycleParameter names the SSM parameter in which a tenant stack
// deploys its lifecycle state (config.Lifecycle.State).
func LifecycleParameter(tenantID string) string {
	return "/tenantkit/tenants/" + tenantID + "/lifecycle"
}

// LifecycleParameterPrefix is the path every tenant's parameter is under.
const LifecycleParameterPrefix = "/tenantkit/tenants/"

// OperationsTopicName is the provider's operations topic (the baseline's):
// the deadline watchdog's alerts go there, to every operations address.
const OperationsTopicName = "tenantkit-operations"

// WatchStateMachineName is the baseline's watchdog state machine.
const WatchStateMachineName = "tenantkit-deadline-watch"

// WatchScheduleGroup holds the baseline's deadline schedules.
const WatchScheduleGroup = "tenantkit-deadlines"

// WatchHourJST is the hour (JST) a deadline is checked: on the day the
// step must be applied, after the daily run (01:17 JST) and its retries,
// early enough for a person to apply it the same day.
const WatchHourJST = 6

// Watch is one deadline the watchdog checks.
type Watch struct {
	Tenant string
	Step   string // "suspend" or "delete"
	// Day is the JST day checked, at WatchHourJST: the suspension day;
	// for the deletion, the last day a 7-day key window still ends by the
	// deadline (deleteBy - 7), after which only a late deletion is left.
	Day string
	// Accept are the deployed states that show the step applied
	// ("deleted" stands for a parameter that is gone with its stack).
	Accept []string
}

// ScheduleName names the schedule of a watch (EventBridge Scheduler
// names: 1-64 of [0-9a-zA-Z-_.]; tenant ids are at most 32 characters: 52).
func (w Watch) ScheduleName() string { return "tk-" + w.Tenant + "-" + w.Step + "-deadline" }

// At is the schedule's one-time expression, in WatchTimezone
// (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#one-time).
func (w Watch) At() string { return fmt.Sprintf("at(%sT%02d:00:00)", w.Day, WatchHourJST) }

// WatchTimezone is the time zone the schedules are evaluated in.
const WatchTimezone = "Asia/Tokyo"

// Instant is when the watch fires.
func (w Watch) Instant() (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, w.Day, config.JST)
	if err != nil {
		return time.Time{}, err
	}
	return d.Add(WatchHourJST * time.Hour), nil
}

// Input is the state machine's input for the watch.
func (w Watch) Input() string {
	b, _ := json.Marshal(map[string]any{
		"tenant": w.Tenant, "step": w.Step, "day": w.Day, "accept": w.Accept,
		"parameter": LifecycleParameter(w.Tenant),
	})
	return string(b)
}

// WatchesOf are the deadlines of a tenant's recorded cancellation: none
// before a cancellation, none once deleted.
func WatchesOf(t *config.Tenant) []Watch {
	l := t.Lifecycle
	if l.CancelledOn == "" || l.State == config.StateDeleted {
		return nil
	}
	var out []Watch
	if l.SuspendOn != "" {
		out = append(out, Watch{Tenant: t.TenantID, Step: "suspend", Day: l.SuspendOn,
			Accept: []string{config.StateSuspended, config.StateDeleting, config.StateDeleted}})
	}
	if by, err := time.ParseInLocation(time.DateOnly, l.DeleteBy, config.JST); err == nil {
		out = append(out, Watch{Tenant: t.TenantID, Step: "delete", Day: by.AddDate(0, 0, -7).Format(time.DateOnly),
			Accept: []string{config.StateDeleted}})
	}
	return out
}

// Pending keeps the watches that fire after now: a one-time schedule in
// the past would never fire.
func Pending(ws []Watch, now time.Time) []Watch {
	return slices.DeleteFunc(slices.Clone(ws), func(w Watch) bool {
		at, err := w.Instant()
		return err != nil || !at.After(now)
	})
}

// ParameterNotFound are the names a missing parameter fails the SDK call
// with: AWS's, "<Service>.<Error>Exception" in PascalCase
// (https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html,
// "Ssm.ParameterNotFoundException"), and moto 5.2.1's interpreter's, which
// keeps the service name lower case (internal/expect TestWatchdogAlertsOnlyOnAMissedDeadline
// reads it). Only that error: any other (AccessDenied, a throttle) must
// not read as "the stack is gone"; the deployed state is then
// "unreadable", which no step accepts: the watchdog alerts (fails closed).
var ParameterNotFound = []string{"Ssm.ParameterNotFoundException", "ssm.ParameterNotFoundException"}

// WatchDefinition is the watchdog's state machine (Amazon States
// Language, JSONPath): read the tenant's deployed lifecycle state with the
// SSM GetParameter SDK integration (a parameter that does not exist means
// the stack is gone: "deleted"), succeed when it is one the step accepts,
// otherwise publish to the operations topic and fail, so the execution
// itself says the deadline was missed. An SDK integration's error is
// "<Service>.<Error>Exception" (supported-services-awssdk below).
// https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html
// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
func WatchDefinition(topicArn string) string {
	def := map[string]any{
		"Comment": "tenantkit §10 deadline watchdog: is the step the deadline needs deployed?",
		"StartAt": "ReadDeployedState",
		"States": map[string]any{
			"ReadDeployedState": map[string]any{
				"Type":       "Task",
				"Resource":   "arn:aws:states:::aws-sdk:ssm:getParameter",
				"Parameters": map[string]any{"Name.$": "$.parameter"},
				"ResultSelector": map[string]any{
					"state.$": "$.Parameter.Value",
				},
				"ResultPath": "$.deployed",
				"Catch": []any{map[string]any{
					"ErrorEquals": ParameterNotFound,
					"ResultPath":  "$.missing",
					"Next":        "StackGone",
				}, map[string]any{
					"ErrorEquals": []string{"States.ALL"},
					"ResultPath":  "$.readError",
					"Next":        "Unreadable",
				}},
				"Next": "CheckAccepted",
			},
			"StackGone": map[string]any{
				"Type":       "Pass",
				"Result":     map[string]any{"state": config.StateDeleted},
				"ResultPath": "$.deployed",
				"Next":       "CheckAccepted",
			},
			"Unreadable": map[string]any{
				"Type":       "Pass",
				"Result":     map[string]any{"state": "unreadable (the watchdog could not read it)"},
				"ResultPath": "$.deployed",
				"Next":       "CheckAccepted",
			},
			"CheckAccepted": map[string]any{
				"Type": "Pass",
				"Parameters": map[string]any{
					"tenant.$":    "$.tenant",
					"step.$":      "$.step",
					"day.$":       "$.day",
					"parameter.$": "$.parameter",
					"accept.$":    "$.accept",
					"deployed.$":  "$.deployed",
					"accepted.$":  "States.ArrayContains($.accept, $.deployed.state)",
				},
				"Next": "Decide",
			},
			"Decide": map[string]any{
				"Type": "Choice",
				"Choices": []any{map[string]any{
					"Variable":      "$.accepted",
					"BooleanEquals": true,
					"Next":          "Applied",
				}},
				"Default": "Alert",
			},
			"Applied": map[string]any{"Type": "Succeed"},
			"Alert": map[string]any{
				"Type":     "Task",
				"Resource": "arn:aws:states:::sns:publish",
				"Parameters": map[string]any{
					"TopicArn":  topicArn,
					"Subject.$": "States.Format('§10 DEADLINE: tenant {} {} not applied ({} JST)', $.tenant, $.step, $.day)",
					"Message.$": "States.Format('tenantkit deadline watchdog: tenant {} must be {} by {} (JST) under whitepaper §10, and the deployed state is {}. Apply it now: tenantctl offboard {} {} --yes (docs/operations.md).', $.tenant, $.step, $.day, $.deployed.state, $.step, $.tenant)",
				},
				"ResultPath": "$.alert",
				"Next":       "Missed",
			},
			"Missed": map[string]any{
				"Type":  "Fail",
				"Error": "DeadlineMissed",
				"Cause": "the step the deadline needs is not deployed; the operations topic was told",
			},
		},
	}
	b, _ := json.MarshalIndent(def, "", "  ")
	return string(b)
}
