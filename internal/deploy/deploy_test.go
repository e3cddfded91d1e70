package deploy

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
)

func TestClassifyKeepsTheCause(t *testing.T) {
	cause := errors.New("boom")
	err := classify("up", "acme", cause)
	if !errors.Is(err, cause) || !strings.HasPrefix(err.Error(), "up acme: ") {
		t.Errorf("%v", err)
	}
}

func TestAvailableSaysWhatIsMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1") // where a clock-shifted build may deploy
	if err := Available(); err == nil || !strings.Contains(err.Error(), "Pulumi CLI") {
		t.Errorf("no pulumi on PATH: %v", err)
	}
	if err := (&Inline{}).Ready(); err == nil {
		t.Error("Inline is ready without the CLI")
	}
}

type tagged struct{ pages [][]types.ResourceTagMapping }

func (f *tagged) GetResources(_ context.Context, in *resourcegroupstaggingapi.GetResourcesInput, _ ...func(*resourcegroupstaggingapi.Options)) (*resourcegroupstaggingapi.GetResourcesOutput, error) {
	i := 0
	if in.PaginationToken != nil {
		fmt.Sscan(*in.PaginationToken, &i)
	}
	out := &resourcegroupstaggingapi.GetResourcesOutput{ResourceTagMappingList: f.pages[i]}
	if i+1 < len(f.pages) {
		out.PaginationToken = aws.String(fmt.Sprint(i + 1))
	}
	return out, nil
}

func mapping(arn, tenant string) types.ResourceTagMapping {
	return types.ResourceTagMapping{ResourceARN: aws.String(arn), Tags: []types.Tag{{Key: aws.String("Tenant"), Value: aws.String(tenant)}}}
}

// Every page is read, and a result tagged for another tenant (whatever the
// filter did) is not counted.
func TestLeftovers(t *testing.T) {
	api := &tagged{pages: [][]types.ResourceTagMapping{
		{mapping("arn:aws:ec2:ap-northeast-1:1:vpc/vpc-1", "acme"), mapping("arn:aws:ec2:ap-northeast-1:1:vpc/vpc-2", "globex")},
		{mapping("arn:aws:s3:::tk-acme-log-archive-1", "acme")},
	}}
	got, err := Leftovers(context.Background(), api, nil, "acme")
	if err != nil || len(got) != 2 || got[1] != "arn:aws:s3:::tk-acme-log-archive-1" {
		t.Errorf("%v %v", got, err)
	}
}

type states map[string]ec2types.InstanceStateName

func (s states) DescribeInstances(_ context.Context, in *ec2.DescribeInstancesInput, _ ...func(*ec2.Options)) (*ec2.DescribeInstancesOutput, error) {
	var r ec2types.Reservation
	for _, id := range in.InstanceIds {
		if st, ok := s[id]; ok {
			r.Instances = append(r.Instances, ec2types.Instance{InstanceId: aws.String(id), State: &ec2types.InstanceState{Name: st}})
		}
	}
	return &ec2.DescribeInstancesOutput{Reservations: []ec2types.Reservation{r}}, nil
}

// The tagging API still lists instances the destroy terminated: those are
// gone; a running one is a leftover; without EC2 to ask, it is an error.
func TestLeftoverInstances(t *testing.T) {
	api := &tagged{pages: [][]types.ResourceTagMapping{{
		mapping("arn:aws:ec2:ap-northeast-1:1:instance/i-done", "acme"), mapping("arn:aws:ec2:ap-northeast-1:1:instance/i-running", "acme"),
	}}}
	got, err := Leftovers(context.Background(), api, states{"i-done": ec2types.InstanceStateNameTerminated, "i-running": ec2types.InstanceStateNameRunning}, "acme")
	if err != nil || !slices.Equal(got, []string{"arn:aws:ec2:ap-northeast-1:1:instance/i-running"}) {
		t.Errorf("%v %v, want only the running instance", got, err)
	}
	if _, err := Leftovers(context.Background(), api, nil, "acme"); err == nil {
		t.Error("instances judged without asking EC2")
	}
}
