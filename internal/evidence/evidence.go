// Package evidence seals a run's reports: a manifest of every file's
// SHA-256 and of what the reader needs to know about the run (tenants,
// account, region, caller, mode, endpoint, tool version, commit), signed
// with an asymmetric KMS key (ECDSA P-256, SHA-256) whose public key is
// published beside the reports; and checks a sealed directory offline
// with the public key alone, failing on any edit of any file.
package evidence

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/tenantkit/tenantkit/internal/safefile"
)

// The files a seal adds to the directory.
const (
	ManifestFile  = "manifest.json"
	SignatureFile = "manifest.sig"
	PublicKeyFile = "evidence-public-key.pem"
)

// Schema names the manifest's format.
const Schema = "tenantkit.evidence-manifest/v1"

// Algorithm is the signature: KMS signs the manifest's SHA-256 as a RAW
// message with ECDSA_SHA_256, so the signed message is 32 bytes whatever
// the manifest's size (KMS takes RAW messages up to 4,096 bytes; a
// fleet's manifest is larger) and the signature is ECDSA on P-256 over
// SHA-256(SHA-256(manifest)), ASN.1 DER, base64 in the file. (KMS's
// MessageType DIGEST would sign the digest itself; moto 5.2.1 does not
// implement it, and RAW means the same in both.)
const Algorithm = "ECDSA_SHA_256 over SHA-256(manifest), RAW"

// Manifest is what a seal signs.
type Manifest struct {
	Schema   string    `json:"schema"`
	SealedAt time.Time `json:"sealedAt"`
	Run      Run       `json:"run"`
	Files    []File    `json:"files"`
	// KeyID is the KMS key that signed; PublicKeySHA256 its public key's
	// fingerprint (SHA-256 of the DER SubjectPublicKeyInfo), the value a
	// reviewer compares with the one the provider publishes.
	KeyID           string `json:"keyId"`
	PublicKeySHA256 string `json:"publicKeySha256"`
	Algorithm       string `json:"algorithm"`
}

// Run is what the reader needs to know about the run that made the files.
type Run struct {
	Tenants     []string `json:"tenants"`
	Account     string   `json:"account"`
	Region      string   `json:"region"`
	Caller      string   `json:"caller"`
	Mode        string   `json:"mode"`
	ToolVersion string   `json:"toolVersion"`
	// Commit is the checkout's commit the stack files and the catalog were
	// read at ("" when not in a git checkout).
	Commit string `json:"commit,omitempty"`
	// Endpoint is set when the reads were not AWS's own endpoints: the
	// files are then no evidence about an AWS account.
	Endpoint string `json:"endpoint,omitempty"`
	NotAWS   bool   `json:"notAws"`
}

// File is one sealed file.
type File struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

// Signer signs a message (the manifest's SHA-256) with ECDSA_SHA_256 and
// names its public key.
type Signer interface {
	KeyID() string
	Sign(ctx context.Context, digest []byte) ([]byte, error)
	PublicKey(ctx context.Context) ([]byte, error) // DER SubjectPublicKeyInfo
}

// KMSClient is the part of KMS a KMS signer uses.
type KMSClient interface {
	Sign(ctx context.Context, in *kms.SignInput, opts ...func(*kms.Options)) (*kms.SignOutput, error)
	GetPublicKey(ctx context.Context, in *kms.GetPublicKeyInput, opts ...func(*kms.Options)) (*kms.GetPublicKeyOutput, error)
}

// KMS signs with an asymmetric KMS key (KeySpec ECC_NIST_P256, KeyUsage
// SIGN_VERIFY): kms:Sign of the digest (MessageType DIGEST) and
// kms:GetPublicKey (AWS KMS developer guide, "Digital signing with
// asymmetric keys"; the Sign API reference for MessageType).
type KMS struct {
	Client KMSClient
	Key    string
}

func (k KMS) KeyID() string { return k.Key }

func (k KMS) Sign(ctx context.Context, digest []byte) ([]byte, error) {
	out, err := k.Client.Sign(ctx, &kms.SignInput{KeyId: aws.String(k.Key), Message: digest,
		MessageType: kmstypes.MessageTypeRaw, SigningAlgorithm: kmstypes.SigningAlgorithmSpecEcdsaSha256})
	if err != nil {
		return nil, fmt.Errorf("kms:Sign with %s: %w", k.Key, err)
	}
	return out.Signature, nil
}

func (k KMS) PublicKey(ctx context.Context) ([]byte, error) {
	out, err := k.Client.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: aws.String(k.Key)})
	if err != nil {
		return nil, fmt.Errorf("kms:GetPublicKey of %s: %w", k.Key, err)
	}
	// The key's kind is judged from its material (Seal parses it and
	// accepts only ECDSA P-256), not from the answer's KeySpec field.
	return out.PublicKey, nil
}

// Seal writes the manifest of the files (paths relative to dir), its
// signature and the public key into dir.
func Seal(ctx context.Context, dir string, files []string, run Run, s Signer, now time.Time) (*Manifest, error) {
	der, err := s.PublicKey(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := parseKey(der); err != nil {
		return nil, fmt.Errorf("%s: %w: evidence is signed with an ECC_NIST_P256 key (KeyUsage SIGN_VERIFY)", s.KeyID(), err)
	}
	m := &Manifest{Schema: Schema, SealedAt: now.UTC().Truncate(time.Second), Run: run, KeyID: s.KeyID(),
		PublicKeySHA256: fingerprint(der), Algorithm: Algorithm}
	slices.Sort(files)
	for _, f := range slices.Compact(files) {
		if IsSealFile(f) || filepath.IsAbs(f) || strings.HasPrefix(filepath.Clean(f), "..") {
			return nil, fmt.Errorf("evidence: %s cannot be sealed (a seal file, or outside %s)", f, dir)
		}
		sum, n, err := hashFile(filepath.Join(dir, f))
		if err != nil {
			return nil, err
		}
		m.Files = append(m.Files, File{Path: filepath.ToSlash(f), SHA256: sum, Bytes: n})
	}
	body, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	body = append(body, '\n')
	digest := sha256.Sum256(body)
	sig, err := s.Sign(ctx, digest[:])
	if err != nil {
		return nil, err
	}
	pub := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	for name, b := range map[string][]byte{ManifestFile: body, SignatureFile: []byte(base64.StdEncoding.EncodeToString(sig) + "\n"), PublicKeyFile: pub} {
		if err := safefile.Write(filepath.Join(dir, name), b, 0o644); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Check verifies a sealed directory offline: the manifest's signature with
// the given public key (PEM), then every file's SHA-256. It fails on an
// edited, missing or added file, an edited manifest, and a manifest
// signed by another key.
func Check(dir string, publicKeyPEM []byte) (*Manifest, error) {
	block, _ := pem.Decode(publicKeyPEM)
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, errors.New("the public key is not a PEM PUBLIC KEY block")
	}
	key, err := parseKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	body, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, fmt.Errorf("no manifest: %w", err)
	}
	sigText, err := os.ReadFile(filepath.Join(dir, SignatureFile))
	if err != nil {
		return nil, fmt.Errorf("no signature: %w", err)
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(sigText)))
	if err != nil {
		return nil, fmt.Errorf("%s is not base64: %w", SignatureFile, err)
	}
	digest := sha256.Sum256(body)
	signed := sha256.Sum256(digest[:]) // KMS hashes the RAW message it signs
	if !ecdsa.VerifyASN1(key, signed[:], sig) {
		return nil, fmt.Errorf("the signature does not match %s under the public key %s: the manifest was changed, or signed by another key", ManifestFile, fingerprint(block.Bytes))
	}
	var m Manifest
	if err := json.Unmarshal(body, &m); err != nil || m.Schema != Schema {
		return nil, fmt.Errorf("%s is not a %s manifest (%v)", ManifestFile, Schema, err)
	}
	if m.PublicKeySHA256 != fingerprint(block.Bytes) {
		return nil, fmt.Errorf("the manifest names the key %s, the signature was checked with %s", m.PublicKeySHA256, fingerprint(block.Bytes))
	}
	var problems []string
	listed := map[string]bool{}
	for _, f := range m.Files {
		listed[f.Path] = true
		sum, n, err := hashFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s: %v", f.Path, err))
		case sum != f.SHA256 || n != f.Bytes:
			problems = append(problems, fmt.Sprintf("%s: SHA-256 %s (%d bytes), sealed %s (%d bytes): changed after the seal", f.Path, sum, n, f.SHA256, f.Bytes))
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if !e.IsDir() && !IsSealFile(e.Name()) && !listed[e.Name()] {
			problems = append(problems, fmt.Sprintf("%s: not in the manifest (added after the seal)", e.Name()))
		}
	}
	if len(problems) > 0 {
		return &m, fmt.Errorf("%d file(s) are not as sealed:\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
	return &m, nil
}

// Fingerprint is a PEM public key's SHA-256 (of its DER), as a manifest
// records it.
func Fingerprint(publicKeyPEM []byte) (string, error) {
	block, _ := pem.Decode(publicKeyPEM)
	if block == nil {
		return "", errors.New("not a PEM block")
	}
	return fingerprint(block.Bytes), nil
}

func fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

func parseKey(der []byte) (*ecdsa.PublicKey, error) {
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("the public key: %w", err)
	}
	ec, ok := k.(*ecdsa.PublicKey)
	if !ok || ec.Curve.Params().Name != "P-256" {
		return nil, errors.New("the public key is not an ECDSA P-256 key")
	}
	return ec, nil
}

// IsSealFile tells the files a seal adds (manifest, signature, public
// key) from the files sealed.
func IsSealFile(name string) bool {
	return name == ManifestFile || name == SignatureFile || name == PublicKeyFile
}

func hashFile(path string) (string, int64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", 0, err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), int64(len(b)), nil
}

// Store is the part of S3 an upload uses.
type Store interface {
	GetObjectLockConfiguration(ctx context.Context, in *s3.GetObjectLockConfigurationInput, opts ...func(*s3.Options)) (*s3.GetObjectLockConfigurationOutput, error)
	PutObject(ctx context.Context, in *s3.PutObjectInput, opts ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

// Upload copies a sealed directory (its files, the manifest, signature
// and public key) to s3://bucket/prefix/, only into a bucket whose Object
// Lock holds every object for a default retention: what is uploaded can
// be neither changed nor deleted until then, by anyone (S3 user guide,
// "Locking objects with Object Lock"; a PUT without a retention of its own
// takes the bucket's default). It returns the keys written.
func Upload(ctx context.Context, c Store, dir, bucket, prefix string) ([]string, error) {
	return UploadAs(ctx, c, dir, bucket, prefix, "")
}

// UploadAs is Upload with each object's server-side encryption named
// ("" for the bucket's default): a customer's copy is SSE-S3, which the
// customer's own role reads without a key of the provider's.
func UploadAs(ctx context.Context, c Store, dir, bucket, prefix string, sse s3types.ServerSideEncryption) ([]string, error) {
	lock, err := c.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: aws.String(bucket)})
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() == "ObjectLockConfigurationNotFoundError" {
		lock, err = &s3.GetObjectLockConfigurationOutput{}, nil // said below
	}
	if err != nil {
		return nil, fmt.Errorf("the evidence bucket %s: its Object Lock configuration: %w", bucket, err)
	}
	cfg := lock.ObjectLockConfiguration
	if cfg == nil || cfg.ObjectLockEnabled != s3types.ObjectLockEnabledEnabled || cfg.Rule == nil || cfg.Rule.DefaultRetention == nil ||
		(aws.ToInt32(cfg.Rule.DefaultRetention.Days) == 0 && aws.ToInt32(cfg.Rule.DefaultRetention.Years) == 0) {
		return nil, fmt.Errorf("the evidence bucket %s has no Object Lock with a default retention: nothing was uploaded (evidence is kept where no one can change or delete it; docs/operations.md, Day 0)", bucket)
	}
	if _, err := os.Stat(filepath.Join(dir, ManifestFile)); err != nil {
		return nil, fmt.Errorf("%s is not sealed (no %s): seal it first (--sign-key)", dir, ManifestFile)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var keys []string
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return keys, err
		}
		key := strings.TrimSuffix(prefix, "/") + "/" + e.Name()
		sum := sha256.Sum256(b)
		// A PUT into a bucket with a default retention must carry a
		// checksum (S3 refuses it otherwise: "Content-MD5 or
		// x-amz-sdk-checksum-algorithm header required").
		// No retention of its own: S3 applies the bucket's default to a
		// PUT that names none (S3 user guide, "Locking objects with Object
		// Lock", default retention), and so does moto.
		if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(b), ServerSideEncryption: sse,
			ChecksumAlgorithm: s3types.ChecksumAlgorithmSha256, ChecksumSHA256: aws.String(base64.StdEncoding.EncodeToString(sum[:]))}); err != nil {
			return keys, fmt.Errorf("upload %s: %w", key, err)
		}
		keys = append(keys, key)
	}
	return keys, nil
}
