package deploy

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
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
	if err := Available(); err == nil || !strings.Contains(err.Error(), "Pulumi CLI") {
		t.Errorf("no pulumi on PATH: %v", err)
	}
	if err := (&Local{}).Ready(); err == nil {
		t.Error("Local is ready without the CLI")
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
	got, err := Leftovers(context.Background(), api, "acme")
	if err != nil || len(got) != 2 || got[1] != "arn:aws:s3:::tk-acme-log-archive-1" {
		t.Errorf("%v %v", got, err)
	}
}
