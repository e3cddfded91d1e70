package expect_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/tenantkit/tenantkit/internal/config"
	"github.com/tenantkit/tenantkit/internal/expect"
	"github.com/tenantkit/tenantkit/tests/motoserver"
)

// The deadline watchdog's state machine, run by moto's Step Functions
// interpreter (moto 5.2.1 executes state machines, the ASL interpreter it
// took from LocalStack, when its config says execute_state_machine): its
// SDK call reads the parameter from moto's SSM and its SNS call publishes
// to moto's topic, read back through an SQS subscription. Each case is a
// deadline met or missed; only the missed ones alert, and their
// executions fail.
func TestWatchdogAlertsOnlyOnAMissedDeadline(t *testing.T) {
	srv := motoserver.Start(t)
	for _, kv := range srv.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	ctx := context.Background()
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(srv.Log())
		}
	})
	// Each case runs in an emptied moto: moto 5.2.1 cannot start a second
	// execution once one has run (it deep-copies a machine whose backend
	// then holds a lock: TypeError: cannot pickle '_thread.RLock'); AWS
	// runs any number.
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion("ap-northeast-1"))
	if err != nil {
		t.Fatal(err)
	}
	type world struct {
		topic, queue string
		role         *string
	}
	fresh := func() world {
		if err := srv.Reset(); err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodPost, srv.Endpoint+"/moto-api/config", bytes.NewBufferString(`{"stepfunctions":{"execute_state_machine":true}}`))
		req.Header.Set("Content-Type", "application/json")
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode/100 != 2 {
			t.Fatalf("moto config: %v %v", resp, err)
		}
		cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion("ap-northeast-1"))
		if err != nil {
			t.Fatal(err)
		}
		topic, err := sns.NewFromConfig(cfg).CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(expect.OperationsTopicName)})
		if err != nil {
			t.Fatal(err)
		}
		q, err := sqs.NewFromConfig(cfg).CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("operations")})
		if err != nil {
			t.Fatal(err)
		}
		qa, err := sqs.NewFromConfig(cfg).GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sns.NewFromConfig(cfg).Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("sqs"),
			Endpoint: aws.String(qa.Attributes["QueueArn"]), Attributes: map[string]string{"RawMessageDelivery": "true"}}); err != nil {
			t.Fatal(err)
		}
		role, err := iam.NewFromConfig(cfg).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("watch"),
			AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
		if err != nil {
			t.Fatal(err)
		}
		return world{topic: aws.ToString(topic.TopicArn), queue: aws.ToString(q.QueueUrl), role: role.Role.Arn}
	}
	params := ssm.NewFromConfig(cfg)
	deployed := func(tenant, state string) {
		if _, err := params.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(expect.LifecycleParameter(tenant)),
			Value: aws.String(state), Type: ssmtypes.ParameterTypeString, Overwrite: aws.Bool(true)}); err != nil {
			t.Fatal(err)
		}
	}
	tenant := func(id, state string) *config.Tenant {
		return &config.Tenant{TenantID: id, Lifecycle: config.Lifecycle{State: state, CancelledOn: "2026-12-01", SuspendOn: "2026-12-02", DeleteBy: "2026-12-31"}}
	}
	cases := []struct {
		name     string
		deployed string // "" : no parameter (the stack is gone, or never was)
		step     int    // 0 suspend, 1 delete
		missed   bool
	}{
		{"suspension applied", config.StateSuspended, 0, false},
		{"deletion already under way at the suspension deadline", config.StateDeleting, 0, false},
		{"suspension not applied", config.StateActive, 0, true},
		{"stack gone at the deletion deadline", "", 1, false},
		{"deletion recorded, stack still there", config.StateDeleting, 1, true},
		{"deletion deadline, tenant merely suspended", config.StateSuspended, 1, true},
		{"the state cannot be read", "unreadable", 0, true},
	}
	for i, c := range cases {
		id := "t" + string(rune('a'+i))
		wd := fresh()
		if c.deployed != "" && c.deployed != "unreadable" {
			deployed(id, c.deployed)
		}
		w := expect.WatchesOf(tenant(id, config.StateSuspended))[c.step]
		input := w.Input()
		if c.deployed == "unreadable" {
			// A version the parameter does not have (SSM answers
			// ParameterVersionNotFound) stands for any failure but a
			// missing parameter: AccessDenied, a throttle.
			deployed(id, config.StateActive)
			input = strings.Replace(input, expect.LifecycleParameter(id), expect.LifecycleParameter(id)+":99", 1)
		}
		sm, err := sfn.NewFromConfig(cfg).CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(expect.WatchStateMachineName),
			Definition: aws.String(expect.WatchDefinition(wd.topic)), RoleArn: wd.role})
		if err != nil {
			t.Fatal(err)
		}
		ex, err := sfn.NewFromConfig(cfg).StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: aws.String(id), Input: aws.String(input)}) // named: moto 5.2.1 names an unnamed execution "None", where AWS makes a UUID
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		status := wait(t, cfg, aws.ToString(ex.ExecutionArn))
		got := receive(t, cfg, wd.queue)
		switch {
		case c.missed && (status != sfntypes.ExecutionStatusFailed || !strings.Contains(got, "tenant "+id+" must be "+w.Step)):
			t.Errorf("%s: execution %s, alert %q: want FAILED and an alert naming %s\n%s", c.name, status, got, id, history(t, cfg, aws.ToString(ex.ExecutionArn)))
		case !c.missed && (status != sfntypes.ExecutionStatusSucceeded || got != ""):
			t.Errorf("%s: execution %s, alert %q: want SUCCEEDED and no alert\n%s", c.name, status, got, history(t, cfg, aws.ToString(ex.ExecutionArn)))
		}
	}
}

func wait(t *testing.T, cfg aws.Config, arn string) sfntypes.ExecutionStatus {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		d, err := sfn.NewFromConfig(cfg).DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != sfntypes.ExecutionStatusRunning {
			return d.Status
		}
	}
	t.Fatalf("execution %s still running", arn)
	return ""
}

// history is an execution's failures, for a failing case's message.
func history(t *testing.T, cfg aws.Config, arn string) string {
	h, err := sfn.NewFromConfig(cfg).GetExecutionHistory(context.Background(), &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn)})
	if err != nil {
		return err.Error()
	}
	var out []string
	for _, e := range h.Events {
		switch {
		case e.TaskFailedEventDetails != nil:
			out = append(out, fmt.Sprintf("%s: %s %s", e.Type, aws.ToString(e.TaskFailedEventDetails.Error), aws.ToString(e.TaskFailedEventDetails.Cause)))
		case e.ExecutionFailedEventDetails != nil:
			out = append(out, fmt.Sprintf("%s: %s %s", e.Type, aws.ToString(e.ExecutionFailedEventDetails.Error), aws.ToString(e.ExecutionFailedEventDetails.Cause)))
		}
	}
	return strings.Join(out, "\n")
}

func receive(t *testing.T, cfg aws.Config, url string) string {
	t.Helper()
	out, err := sqs.NewFromConfig(cfg).ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, m := range out.Messages {
		msgs = append(msgs, aws.ToString(m.Body))
		sqs.NewFromConfig(cfg).DeleteMessage(context.Background(), &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle})
	}
	return strings.Join(msgs, "\n")
}
